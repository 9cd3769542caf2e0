/* mixplan: the command line. Parses arguments, calls the engine, maps its
 * status to an exit code. It knows nothing of GLPK or libxlsxwriter. */
#include "mixplan.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Exit codes of the mixplan command (README, "Exit codes"). */
enum {
    MP_EXIT_OK = 0,         /* a plan was found */
    MP_EXIT_INFEASIBLE = 1, /* infeasible or unbounded, with an explanation */
    MP_EXIT_USAGE = 2,      /* bad command line */
    MP_EXIT_INPUT = 3,      /* bad input file or value */
    MP_EXIT_IO = 4          /* I/O or internal error */
};

static const char usage_text[] =
    "usage: mixplan <command> [options]\n"
    "\n"
    "commands:\n"
    "  optimize PLAN [-o FILE.xlsx] [--json FILE|-] [--quiet] [--time-limit SECONDS]\n"
    "                   allocate the budget; print a summary, write the workbook/JSON\n"
    "  whatif PLAN --vary AXIS=VALUES [--vary AXIS=VALUES] [-o FILE.xlsx] [--json FILE|-]\n"
    "                   re-solve the plan over one or two varied parameters:\n"
    "                   inflation[:CHANNEL|TYPE|GROUP], budget, cpm:|cpp:|cpc:|cpi:CHANNEL|TYPE,\n"
    "                   constraint:NAME; VALUES as FROM..TO/STEP or A,B,C\n"
    "                   (e.g. --vary inflation=0%..30%/2.5% --vary budget=300k..600k/50k)\n"
    "  keywords EXPORT [--rules FILE] [--unmatched]\n"
    "                   read a Keyword Planner export, sort it into the rules' groups\n"
    "                   and print each keyword's group and the figures per group\n"
    "  validate PLAN    check a plan file and its datasets without solving\n"
    "  export-lp PLAN -o FILE.lp\n"
    "                   write the plan's LP in CPLEX LP format (glpsol --lp FILE.lp)\n"
    "\n"
    "options:\n"
    "  -o, --output FILE     workbook (optimize) or LP file (export-lp)\n"
    "  -j, --json FILE       JSON result; \"-\" for standard output\n"
    "  -q, --quiet           no terminal summary\n"
    "  -t, --time-limit S    stop the solver after S seconds (whatif: each scenario's)\n"
    "      --vary AXIS=VALUES  a what-if axis (whatif; once or twice)\n"
    "      --cold            whatif: solve each scenario from scratch (for checks)\n"
    "      --rules FILE      keywords: the keyword rules file\n"
    "      --unmatched       keywords: list only keywords no group matched\n"
    "  -v, --verbose         show the LP solver's log\n"
    "  -m, --method M        auto (default), direct (GLPK on the whole LP) or near\n"
    "                        (from a coarser LP's duals); all give the same optimum\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "exit codes: 0 plan found, 1 infeasible or unbounded (explained), 2 usage,\n"
    "            3 bad input, 4 I/O or internal error\n";

typedef struct args {
    const char *cmd, *plan, *output, *json;
    const char *vary[2];
    int nvary;
    int method;
    const char *rules;
    int unmatched;
    int quiet, verbose, cold;
    double time_limit;
} args;

static int usage_error(const char *msg)
{
    fprintf(stderr, "mixplan: %s\n(see mixplan --help)\n", msg);
    return MP_EXIT_USAGE;
}

/* Input problems are the user's to fix (3); failures to write or of mixplan
 * itself are 4. */
static int exit_for(mp_status st, int input_phase)
{
    switch (st) {
    case MP_OK: return MP_EXIT_OK;
    case MP_ERR_INPUT:
    case MP_ERR_LIMIT: return MP_EXIT_INPUT;
    case MP_ERR_IO: return input_phase ? MP_EXIT_INPUT : MP_EXIT_IO;
    default: return MP_EXIT_IO;
    }
}

static int fail(mp_status st, int input_phase)
{
    const char *msg = mp_last_error();
    fprintf(stderr, "mixplan: %s\n", *msg ? msg : mp_strerror(st));
    return exit_for(st, input_phase);
}

/* Refuse early (before solving) an output whose directory is missing or read-only. */
static int check_output(const char *path)
{
    if (!path || !strcmp(path, "-"))
        return 0;
    char *dir = strdup(path);
    if (!dir)
        return MP_EXIT_IO;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir)
        d = "/";
    else if (slash) {
        *slash = '\0';
        d = dir;
    }
    struct stat sb;
    int rc = 0;
    if (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "mixplan: %s: directory %s does not exist\n", path, d);
        rc = MP_EXIT_IO;
    } else if (access(d, W_OK) != 0) {
        fprintf(stderr, "mixplan: %s: directory %s is not writable\n", path, d);
        rc = MP_EXIT_IO;
    } else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "mixplan: %s: is a directory\n", path);
        rc = MP_EXIT_IO;
    }
    free(dir);
    return rc;
}

static void print_warnings(const mp_plan *plan)
{
    size_t n = mp_plan_note_count(plan);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "read: %s\n", mp_plan_note(plan, i));
    n = mp_plan_warning_count(plan);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "warning: %s\n", mp_plan_warning(plan, i));
}

/* Check the outputs before any work, load the plan, show what was read;
 * returns an exit code (0: *plan is loaded). */
static int open_plan(const args *a, mp_plan **plan)
{
    int rc = check_output(a->output);
    if (!rc)
        rc = check_output(a->json);
    if (rc)
        return rc;
    mp_status st = mp_plan_load(a->plan, plan);
    if (st != MP_OK)
        return fail(st, 1);
    if (!a->quiet)
        print_warnings(*plan);
    return MP_EXIT_OK;
}

/* The solver's log (--verbose) on standard error; what-if worker threads
 * call it too, and stdio locks the stream around each call. */
static void log_to_stderr(void *ctx, const char *text)
{
    (void)ctx;
    fputs(text, stderr);
}

static void solve_opts(const args *a, mp_solve_opts *opts)
{
    mp_solve_opts_init(opts);
    opts->time_limit_s = a->time_limit;
    opts->verbose = a->verbose;
    opts->method = (mp_method)a->method;
    if (a->verbose)
        opts->log = log_to_stderr;
}

/* The JSON result to a file, or to standard output for "-". */
static mp_status write_json(const mp_solution *sol, const char *path)
{
    return strcmp(path, "-") ? mp_solution_write_json(sol, path)
                             : mp_solution_write_json_to(sol, stdout);
}

static mp_status write_whatif_json(const mp_whatif *w, const char *path)
{
    return strcmp(path, "-") ? mp_whatif_write_json(w, path) : mp_whatif_write_json_to(w, stdout);
}

static int cmd_optimize(const args *a)
{
    mp_plan *plan;
    int rc = open_plan(a, &plan);
    if (rc)
        return rc;
    mp_solve_opts opts;
    solve_opts(a, &opts);
    mp_solution *sol;
    mp_status st = mp_plan_solve(plan, &opts, &sol);
    if (st != MP_OK) {
        rc = fail(st, 0);
        mp_plan_free(plan);
        return rc;
    }
    FILE *out = a->json && !strcmp(a->json, "-") ? stderr : stdout;
    mp_result res = mp_solution_result(sol);
    if (!a->quiet)
        mp_solution_print_summary(sol, out);
    if (res == MP_RESULT_INFEASIBLE || res == MP_RESULT_UNBOUNDED) {
        fprintf(stderr, "mixplan: %s: %s: %s\n", a->plan,
                res == MP_RESULT_INFEASIBLE ? "infeasible" : "unbounded", mp_solution_explain(sol));
        if (a->json)
            st = write_json(sol, a->json);
        rc = st == MP_OK ? MP_EXIT_INFEASIBLE : fail(st, 0);
        if (a->output)
            fprintf(stderr, "mixplan: no workbook written; %s is unchanged\n", a->output);
        mp_solution_free(sol);
        mp_plan_free(plan);
        return rc;
    }
    for (size_t i = 0; i < mp_solution_warning_count(sol); i++)
        fprintf(stderr, "warning: %s\n", mp_solution_warning(sol, i));
    if (res == MP_RESULT_TIME_LIMIT)
        fprintf(stderr, "mixplan: time limit reached: the plan shown is the best found, not proven "
                        "optimal\n");
    rc = MP_EXIT_OK;
    if (a->json && (st = write_json(sol, a->json)) != MP_OK)
        rc = fail(st, 0);
    if (rc == MP_EXIT_OK && a->output) {
        if ((st = mp_solution_write_xlsx(sol, a->output)) != MP_OK)
            rc = fail(st, 0);
        else if (!a->quiet)
            fprintf(out,
                    "workbook: %s (Summary, Plan, Channels, Keywords, Groups, Constraints, "
                    "Assumptions)\n",
                    a->output);
    }
    mp_solution_free(sol);
    mp_plan_free(plan);
    return rc;
}

/* A progress bar on standard error, only when it is a terminal. */
static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    int width = 40, filled = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "########################################",
            width - filled, "", done, total);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int cmd_whatif(const args *a)
{
    if (a->nvary == 0)
        return usage_error("whatif needs --vary AXIS=VALUES (once or twice)");
    mp_plan *plan;
    int rc = open_plan(a, &plan);
    if (rc)
        return rc;
    mp_whatif_opts opts;
    mp_whatif_opts_init(&opts);
    solve_opts(a, &opts.solve);
    opts.cold = a->cold;
    if (!a->quiet && isatty(STDERR_FILENO))
        opts.progress = progress;
    mp_whatif *w;
    mp_status st = mp_whatif_run(plan, a->vary, (size_t)a->nvary, &opts, &w);
    if (st != MP_OK) {
        rc = fail(st, st == MP_ERR_INPUT || st == MP_ERR_LIMIT);
        mp_plan_free(plan);
        return rc;
    }
    FILE *out = a->json && !strcmp(a->json, "-") ? stderr : stdout;
    if (!a->quiet)
        mp_whatif_print_summary(w, out);
    rc = MP_EXIT_OK;
    if (a->json && (st = write_whatif_json(w, a->json)) != MP_OK)
        rc = fail(st, 0);
    if (rc == MP_EXIT_OK && a->output) {
        if ((st = mp_whatif_write_xlsx(w, a->output)) != MP_OK)
            rc = fail(st, 0);
        else if (!a->quiet)
            fprintf(out, "workbook: %s (the plan's sheets and Scenarios)\n", a->output);
    }
    mp_whatif_free(w);
    mp_plan_free(plan);
    return rc;
}

static int cmd_keywords(const args *a)
{
    mp_status st = mp_keywords_report(a->plan, a->rules, a->unmatched, stdout, stderr);
    return st == MP_OK ? MP_EXIT_OK : fail(st, 1);
}

static int cmd_validate(const args *a)
{
    mp_plan *plan;
    mp_status st = mp_plan_load(a->plan, &plan);
    if (st != MP_OK)
        return fail(st, 1);
    print_warnings(plan);
    if (!a->quiet)
        printf("%s: valid\n", a->plan);
    mp_plan_free(plan);
    return MP_EXIT_OK;
}

static int cmd_export_lp(const args *a)
{
    if (!a->output)
        return usage_error("export-lp needs -o FILE");
    int rc = check_output(a->output);
    if (rc)
        return rc;
    mp_plan *plan;
    mp_status st = mp_plan_load(a->plan, &plan);
    if (st != MP_OK)
        return fail(st, 1);
    st = mp_plan_write_lp(plan, a->output);
    rc = st == MP_OK ? MP_EXIT_OK : fail(st, 0);
    mp_plan_free(plan);
    return rc;
}

/* What a parsing step returns when the run goes on; otherwise it returns
 * the exit code to end with (a usage error, or after --help or --version). */
enum { GO_ON = -1 };

static int option_method(const char *v, args *a)
{
    if (!strcmp(v, "auto"))
        a->method = MP_METHOD_AUTO;
    else if (!strcmp(v, "direct"))
        a->method = MP_METHOD_DIRECT;
    else if (!strcmp(v, "near"))
        a->method = MP_METHOD_NEAR;
    else
        return usage_error("--method takes auto, direct or near");
    return GO_ON;
}

static int option_time_limit(const char *v, args *a)
{
    char *end;
    errno = 0;
    a->time_limit = strtod(v, &end);
    if (errno || *end || !(a->time_limit > 0) || a->time_limit > 1e6)
        return usage_error("--time-limit takes a number of seconds");
    return GO_ON;
}

/* An option getopt_long returned as c (its value in optarg). */
static int take_option(int c, char **argv, args *a)
{
    char msg[96];
    switch (c) {
    case 'o': a->output = optarg; break;
    case 'j': a->json = optarg; break;
    case 'q': a->quiet = 1; break;
    case 'v': a->verbose = 1; break;
    case 'c': a->cold = 1; break;
    case 'r': a->rules = optarg; break;
    case 'u': a->unmatched = 1; break;
    case 'm': return option_method(optarg, a);
    case 't': return option_time_limit(optarg, a);
    case 'w':
        if (a->nvary == 2)
            return usage_error("--vary is given more than twice (a grid has two axes)");
        a->vary[a->nvary++] = optarg;
        break;
    case 'h': fputs(usage_text, stdout); return MP_EXIT_OK;
    case 'V': printf("mixplan %s\n", mp_version()); return MP_EXIT_OK;
    case ':':
        snprintf(msg, sizeof msg, "option %s needs a value", argv[optind - 1]);
        return usage_error(msg);
    default:
        snprintf(msg, sizeof msg, "unknown option %s", argv[optind - 1]);
        return usage_error(msg);
    }
    return GO_ON;
}

typedef struct command {
    const char *name;
    int (*run)(const args *a);
} command;

static const command commands[] = {
    {"optimize", cmd_optimize}, {"validate", cmd_validate},   {"whatif", cmd_whatif},
    {"keywords", cmd_keywords}, {"export-lp", cmd_export_lp},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* The command and the file it reads, from the npos words that are not options. */
static int take_words(const char *const *pos, int npos, args *a)
{
    a->cmd = pos[0];
    a->plan = pos[1];
    if (!a->cmd)
        return usage_error("no command given");
    if (npos > 2)
        return usage_error("too many arguments");
    if (!find_command(a->cmd)) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown command \"%.100s\"", a->cmd);
        return usage_error(msg);
    }
    if (!a->plan)
        return usage_error(strcmp(a->cmd, "keywords") ? "no plan file given" : "no export given");
    return GO_ON;
}

static int parse_args(int argc, char **argv, args *a)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"json", required_argument, NULL, 'j'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"time-limit", required_argument, NULL, 't'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {"vary", required_argument, NULL, 'w'},
                                             {"cold", no_argument, NULL, 'c'},
                                             {"method", required_argument, NULL, 'm'},
                                             {"rules", required_argument, NULL, 'r'},
                                             {"unmatched", no_argument, NULL, 'u'},
                                             {NULL, 0, NULL, 0}};
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0;
    opterr = 0;
    /* Options may stand before or after the command and the plan (git style):
     * getopt stops at each word that is not an option, which is collected. */
    while (optind < argc) {
        int c = getopt_long(argc, argv, "+:o:j:qt:vhVm:", longopts, NULL);
        if (c == -1) {
            if (optind >= argc)
                break;
            if (npos == 3)
                return usage_error("too many arguments");
            pos[npos++] = argv[optind++];
            continue;
        }
        int rc = take_option(c, argv, a);
        if (rc != GO_ON)
            return rc;
    }
    return take_words(pos, npos, a);
}

int main(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    return rc != GO_ON ? rc : find_command(a.cmd)->run(&a);
}
