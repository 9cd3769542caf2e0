/* mixplan: the command line. Parses arguments, calls the engine, maps its
 * status to an exit code. It knows nothing of GLPK or libxlsxwriter. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "mixplan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The command's own words are in the library's catalogue (po/LANG.po), in
 * the reader's language (mp_set_message_language(), from the locale): _()
 * translates where a message is printed, N_() marks one written in a table. */
#define _(s)  mp_message(s)
#define N_(s) s

/* Exit codes of the mixplan command (README, "Exit codes"). */
enum {
    MP_EXIT_OK = 0,         /* a plan was found */
    MP_EXIT_INFEASIBLE = 1, /* infeasible or unbounded, with an explanation */
    MP_EXIT_USAGE = 2,      /* bad command line */
    MP_EXIT_INPUT = 3,      /* bad input file or value */
    MP_EXIT_IO = 4          /* I/O or internal error */
};

static const char usage_text[] = N_(
    "usage: mixplan <command> [options]\n"
    "\n"
    "commands:\n"
    "  optimize PLAN [-o FILE.xlsx] [--json FILE|-] [--quiet] [--time-limit SECONDS]\n"
    "                [--gap X] [--lang fr|en]\n"
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
    "  -g, --gap X           the certified distance to the exact optimum to reach\n"
    "                        (default 0.1%, or the plan's gap); e.g. --gap 0.01%\n"
    "      --lang fr|en      the workbook's language (default en, or the plan's\n"
    "                        language); the terminal follows LANG / LC_MESSAGES\n"
    "      --vary AXIS=VALUES  a what-if axis (whatif; once or twice)\n"
    "      --cold            whatif: solve each scenario from scratch (for checks)\n"
    "      --rules FILE      keywords: the keyword rules file\n"
    "      --unmatched       keywords: list only keywords no group matched\n"
    "      --force           replace an existing output file that does not look like\n"
    "                        a workbook / JSON / LP file, is read-only or is open in\n"
    "                        LibreOffice or Excel (never an input of the run)\n"
    "  -v, --verbose         show the LP solver's log\n"
    "  -m, --method M        auto (default), direct (GLPK on the whole LP) or near\n"
    "                        (from a coarser LP's duals); all give the same optimum\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "outputs: a workbook needs .xlsx, the JSON .json, an LP file .lp; only regular\n"
    "  files are replaced (a symlink's target, keeping its permissions), never a file\n"
    "  the run reads\n"
    "\n"
    "exit codes: 0 plan found, 1 infeasible or unbounded (explained), 2 usage or\n"
    "            refused output, 3 bad input, 4 I/O or internal error,\n"
    "            130/143 interrupted (SIGINT/SIGTERM; no output changed)\n");

typedef struct args {
    const char *cmd, *plan, *output, *json;
    const char *vary[2];
    int nvary;
    int method;
    const char *rules;
    const char *gap;  /* --gap as written, or NULL */
    const char *lang; /* --lang as written, or NULL */
    int unmatched;
    int quiet, verbose, cold, force;
    double time_limit;
} args;

static int usage_error(const char *msg)
{
    fprintf(stderr, _("mixplan: %s\n(see mixplan --help)\n"), msg);
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

/* Say msg (the library's message for st, or "" for none) and return the
 * exit code st means. */
static int fail_with(mp_status st, const char *msg, int input_phase)
{
    fprintf(stderr, _("mixplan: %s\n"), *msg ? msg : mp_strerror(st));
    return exit_for(st, input_phase);
}

static int fail(mp_status st, int input_phase)
{
    return fail_with(st, mp_last_error(), input_phase);
}

/* ---- outputs: never an input, never anything but a regular file -------- */

typedef enum out_kind { OUT_XLSX, OUT_JSON, OUT_LP } out_kind;
static const char *const kind_ext[] = {".xlsx", ".json", ".lp"};
static const char *const kind_name[] = {N_("a workbook"), N_("the JSON result"), N_("an LP file")};

/* Whether an output is written to a file (not "-", standard output). */
static int is_file(const char *path)
{
    return path && strcmp(path, "-") != 0;
}

/* An output needs its extension: "-o plan.xls" would put xlsx content under
 * a name Excel opens as the old format; suggest the name to use. */
static int check_extension(const char *path, out_kind k)
{
    const char *ext = kind_ext[k];
    size_t n = strlen(path), e = strlen(ext);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (strlen(base) > e && !strcasecmp(path + n - e, ext))
        return 0;
    const char *dot = strrchr(base, '.');
    int stem = (int)((dot && dot != base ? dot : path + n) - path);
    fprintf(stderr, _("mixplan: %s: %s needs the %s extension (write %.*s%s)%s\n"), path,
            _(kind_name[k]), ext, stem, path, ext,
            k == OUT_XLSX && dot && !strcasecmp(dot, ".xls")
                ? _("; .xls is the old Excel format, which mixplan does not write")
                : "");
    return MP_EXIT_USAGE;
}

/* What exists at path may be replaced: a regular file, or a symlink to one
 * (the file it points to is replaced, the link kept). */
static int check_existing(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, _("mixplan: %s: a symbolic link to a file that does not exist: refused\n"),
                path);
        return MP_EXIT_USAGE;
    }
    if (S_ISDIR(sb.st_mode)) {
        fprintf(stderr, _("mixplan: %s: is a directory\n"), path);
        return MP_EXIT_USAGE;
    }
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr,
                _("mixplan: %s: not a regular file (a device, FIFO or socket): refused; only "
                  "regular files are replaced\n"),
                path);
        return MP_EXIT_USAGE;
    }
    return 0;
}

/* The directory the file target is written in exists and is writable. */
static int check_dir(const char *path, const char *target)
{
    char *dir = strdup(target);
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
        fprintf(stderr, _("mixplan: %s: directory %s does not exist\n"), path, d);
        rc = MP_EXIT_IO;
    } else if (access(d, W_OK) != 0) {
        fprintf(stderr,
                _("mixplan: %s: the folder %s is not writable: nothing written (make it writable, "
                  "or write the output in another folder)\n"),
                path, d);
        rc = MP_EXIT_IO;
    }
    free(dir);
    return rc;
}

/* An existing output without write permission for its owner is kept unless
 * --force: the mode bits say it, not access(2), so that root (who could
 * rename over it) keeps it too. */
static int check_read_only(const args *a, const char *path)
{
    struct stat sb;
    if (a->force || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & S_IWUSR))
        return 0;
    fprintf(stderr,
            _("mixplan: %s is read-only: not replaced (make it writable, or choose another name; "
              "--force replaces it)\n"),
            path);
    return MP_EXIT_USAGE;
}

/* A lock file that an office application keeps beside a file it has open:
 * LibreOffice's ".~lock.NAME#", Excel's "~$NAME". Replacing the file under it
 * is lost as soon as the planner saves there, so it is kept unless --force. */
static int check_open_elsewhere(const args *a, const char *path, const char *target)
{
    static const char *const apps[] = {"LibreOffice", "Excel"};
    static const char *const before[] = {".~lock.", "~$"}, *const after[] = {"#", ""};
    const char *slash = strrchr(target, '/');
    int dlen = slash ? (int)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    for (int i = 0; i < 2 && !a->force; i++) {
        char lock[PATH_MAX];
        struct stat sb;
        int n = snprintf(lock, sizeof lock, "%.*s%s%s%s", dlen, target, before[i], base, after[i]);
        if (n < 0 || (size_t)n >= sizeof lock || lstat(lock, &sb) != 0)
            continue;
        fprintf(stderr,
                _("mixplan: %s is open in %s (its lock file %s is beside it): not replaced, as "
                  "saving it there would bring the old version back; close it there first (a "
                  "lock file left by a crash may be deleted), or use --force\n"),
                path, apps[i], lock + dlen);
        return MP_EXIT_USAGE;
    }
    return 0;
}

/* Refuse early (before solving) an output that cannot or must not be written. */
static int check_output(const args *a, const char *path)
{
    if (!is_file(path))
        return 0;
    struct stat sb;
    char real[PATH_MAX];
    const char *target = path;
    if (lstat(path, &sb) == 0) {
        int rc = check_existing(path);
        if (!rc)
            rc = check_read_only(a, path);
        if (rc)
            return rc;
        if (S_ISLNK(sb.st_mode) && realpath(path, real))
            target = real;
    }
    int rc = check_open_elsewhere(a, path, target);
    return rc ? rc : check_dir(path, target);
}

/* path's canonical name in out[PATH_MAX]: the file's, or for a file that
 * does not exist its directory's followed by its base name; -1 if neither. */
static int canonical(const char *path, char *out)
{
    if (realpath(path, out))
        return 0;
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    int n = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + (slash == path)), path)
                  : snprintf(dir, sizeof dir, ".");
    char rdir[PATH_MAX];
    if (n < 0 || (size_t)n >= sizeof dir || !realpath(dir, rdir))
        return -1;
    n = snprintf(out, PATH_MAX, "%s/%s", rdir, slash ? slash + 1 : path);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* Whether a and b are one file: the same device and inode (links), or the
 * same name once . / .. and symlinked directories are resolved. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ca[PATH_MAX], cb[PATH_MAX];
    return !strcmp(a, b) || (!canonical(a, ca) && !canonical(b, cb) && !strcmp(ca, cb));
}

/* An output that is one of the files the run read is refused. */
static int check_clash(const mp_plan *plan, const char *opt, const char *path)
{
    if (!is_file(path))
        return 0;
    for (size_t i = 0; i < mp_plan_input_count(plan); i++) {
        const char *in = mp_plan_input(plan, i);
        if (same_file(path, in)) {
            fprintf(stderr,
                    _("mixplan: %s %s would replace %s, an input of this run: refused (an "
                      "output never replaces an input; choose another name)\n"),
                    opt, path, in);
            return MP_EXIT_USAGE;
        }
    }
    return 0;
}

/* Once the plan is read (its inputs known): no output over an input, nor
 * both outputs on one file, and each output with its extension. */
static int check_clashes(const args *a, const mp_plan *plan)
{
    int rc = check_clash(plan, "-o", a->output);
    if (!rc)
        rc = check_clash(plan, "--json", a->json);
    if (!rc && is_file(a->output) && is_file(a->json) && same_file(a->output, a->json)) {
        fprintf(stderr, _("mixplan: -o %s and --json %s are the same file: refused\n"), a->output,
                a->json);
        rc = MP_EXIT_USAGE;
    }
    if (!rc && is_file(a->output))
        rc = check_extension(a->output, OUT_XLSX);
    if (!rc && is_file(a->json))
        rc = check_extension(a->json, OUT_JSON);
    return rc;
}

/* Whether the first n bytes of a file look like an output of kind k. */
static int looks_like(const unsigned char *head, size_t n, out_kind k)
{
    size_t i = 0;
    if (k == OUT_XLSX) /* a zip: local file header or empty archive */
        return n >= 4 && head[0] == 'P' && head[1] == 'K' &&
               ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        i = 3;
    while (i < n && isspace(head[i]))
        i++;
    if (i == n)
        return 1; /* blank: nothing to lose */
    if (k == OUT_JSON)
        return head[i] == '{' || head[i] == '[';
    return head[i] == '\\' || (n - i >= 3 && (!strncasecmp((const char *)head + i, "min", 3) ||
                                              !strncasecmp((const char *)head + i, "max", 3)));
}

/* Just before writing: an existing non-empty file that is not of the
 * output's kind (a text file where a workbook goes) is kept unless --force. */
static int check_kind(const args *a, const char *path, out_kind k)
{
    if (a->force || !is_file(path))
        return 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0; /* nothing there (or unreadable: the write says why) */
    struct stat sb;
    unsigned char head[64];
    ssize_t n = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? read(fd, head, sizeof head) : 0;
    close(fd);
    if (n <= 0 || looks_like(head, (size_t)n, k))
        return 0;
    fprintf(stderr,
            _("mixplan: %s exists and does not look like %s: not replaced (use --force to "
              "replace it)\n"),
            path, _(kind_name[k]));
    return MP_EXIT_USAGE;
}

static void print_warnings(const mp_plan *plan)
{
    size_t n = mp_plan_note_count(plan);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, _("read: %s\n"), mp_plan_note(plan, i));
    n = mp_plan_warning_count(plan);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, _("warning: %s\n"), mp_plan_warning(plan, i));
}

/* Check the outputs before any work, load the plan, show what was read;
 * returns an exit code (0: *plan is loaded). */
static int open_plan(const args *a, mp_plan **plan)
{
    int rc = check_output(a, a->output);
    if (!rc)
        rc = check_output(a, a->json);
    if (rc)
        return rc;
    mp_status st = mp_plan_load(a->plan, plan);
    if (st != MP_OK)
        return fail(st, 1);
    if ((a->gap && (st = mp_plan_set_gap(*plan, a->gap)) != MP_OK) ||
        (a->lang && (st = mp_plan_set_language(*plan, a->lang)) != MP_OK)) {
        mp_plan_free(*plan);
        return fail(st, 1);
    }
    if ((rc = check_clashes(a, *plan)) != 0) {
        mp_plan_free(*plan);
        return rc;
    }
    if (!a->quiet)
        print_warnings(*plan);
    return MP_EXIT_OK;
}

/* "fr" or "en" for a language or locale name of len bytes ("fr",
 * "fr_FR.UTF-8", "en_GB"), NULL for another language. */
static const char *known_language(const char *name, size_t len)
{
    static const char *const known[] = {"fr", "en"};
    for (size_t i = 0; i < 2; i++)
        if (len >= 2 && !strncmp(name, known[i], 2) && (len == 2 || strchr("_.@", name[2])))
            return known[i];
    return NULL;
}

/* The reader's language, as gettext finds it: LC_ALL, else LC_MESSAGES,
 * else LANG names the locale ("fr_FR.UTF-8"); unless that is C or POSIX,
 * LANGUAGE's list ("de:fr:en") is tried first, in order. English when no
 * language named is one the library knows. The workbook's language is not
 * this one: --lang or [plan] language. */
static const char *terminal_language(void)
{
    const char *locale = NULL;
    const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3 && !locale; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            locale = v;
    }
    if (!locale || !strcmp(locale, "C") || !strncmp(locale, "C.", 2) || !strcmp(locale, "POSIX"))
        return "en";
    const char *list = getenv("LANGUAGE");
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ":");
        const char *l = known_language(p, len);
        if (l)
            return l;
        p += len + (p[len] == ':');
    }
    const char *l = known_language(locale, strlen(locale));
    return l ? l : "en";
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

/* The JSON result of sol, or of w when given, to --json's file or to
 * standard output for "-"; returns an exit code. */
static int put_json(const args *a, const mp_solution *sol, const mp_whatif *w)
{
    if (!a->json)
        return MP_EXIT_OK;
    int rc = check_kind(a, a->json, OUT_JSON);
    if (rc)
        return rc;
    mp_status st;
    if (!is_file(a->json))
        st = w ? mp_whatif_write_json_to(w, stdout) : mp_solution_write_json_to(sol, stdout);
    else
        st = w ? mp_whatif_write_json(w, a->json) : mp_solution_write_json(sol, a->json);
    return st == MP_OK ? MP_EXIT_OK : fail(st, 0);
}

/* The workbook of sol, or of w when given, to -o's file; an exit code. */
/* "workbook: x.xlsx (Summary, Plan, ...)", the sheets named as the workbook
 * names them (its language). */
static void print_workbook_line(FILE *out, const char *path, const mp_plan *plan, int scenarios)
{
    char names[512];
    if (mp_workbook_sheet_names(plan, scenarios, names, sizeof names) != MP_OK)
        names[0] = '\0';
    fprintf(out, _("workbook: %s (%s)\n"), path, names);
}

static int put_workbook(const args *a, const mp_solution *sol, const mp_whatif *w)
{
    int rc = check_kind(a, a->output, OUT_XLSX);
    if (rc)
        return rc;
    mp_status st = w ? mp_whatif_write_xlsx(w, a->output) : mp_solution_write_xlsx(sol, a->output);
    return st == MP_OK ? MP_EXIT_OK : fail(st, 0);
}

/* The JSON result written on a thread of its own while the workbook is
 * written on this one: on two cores the outputs take the longer of the two,
 * not their sum. The thread speaks the command's language; its status and
 * message are kept for the command to report (the library's last error is
 * each thread's own). */
typedef struct json_job {
    const args *a;
    const mp_solution *sol;
    const mp_whatif *w;
    const char *lang;
    mp_status st;
    char error[2048];
} json_job;

static void *json_job_run(void *arg)
{
    json_job *j = arg;
    mp_set_message_language(j->lang);
    j->st =
        j->w ? mp_whatif_write_json(j->w, j->a->json) : mp_solution_write_json(j->sol, j->a->json);
    snprintf(j->error, sizeof j->error, "%s", j->st == MP_OK ? "" : mp_last_error());
    return NULL;
}

/* Both outputs to files, checked first, then written at once. A JSON that
 * cannot be written is reported as before (its error, its exit code), but
 * the workbook written beside it is kept. */
static int put_both(const args *a, const mp_solution *sol, const mp_whatif *w)
{
    int rc = check_kind(a, a->json, OUT_JSON);
    if (rc)
        return rc;
    if ((rc = check_kind(a, a->output, OUT_XLSX)) != 0) {
        int json_rc = put_json(a, sol, w); /* written before the workbook's check, as before */
        return json_rc ? json_rc : rc;
    }
    json_job j = {a, sol, w, mp_message_language(), MP_OK, ""};
    pthread_t second;
    int threaded = pthread_create(&second, NULL, json_job_run, &j) == 0;
    if (!threaded)
        json_job_run(&j);
    mp_status st = w ? mp_whatif_write_xlsx(w, a->output) : mp_solution_write_xlsx(sol, a->output);
    if (threaded)
        pthread_join(second, NULL);
    if (j.st != MP_OK)
        return fail_with(j.st, j.error, 0);
    return st == MP_OK ? MP_EXIT_OK : fail(st, 0);
}

/* The JSON result (when asked) and then the workbook (when asked). */
static int put_outputs(const args *a, const mp_solution *sol, const mp_whatif *w)
{
    if (a->output && is_file(a->json))
        return put_both(a, sol, w);
    int rc = put_json(a, sol, w);
    if (rc == MP_EXIT_OK && a->output)
        rc = put_workbook(a, sol, w);
    return rc;
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
        mp_solution_print_summary_in(sol, out, terminal_language());
    if (res == MP_RESULT_INFEASIBLE || res == MP_RESULT_UNBOUNDED) {
        fprintf(stderr, _("mixplan: %s: %s: %s\n"), a->plan,
                res == MP_RESULT_INFEASIBLE ? _("infeasible") : _("unbounded"),
                mp_solution_explain(sol));
        rc = put_json(a, sol, NULL);
        if (rc == MP_EXIT_OK)
            rc = MP_EXIT_INFEASIBLE;
        if (a->output)
            fprintf(stderr, _("mixplan: no workbook written; %s is unchanged\n"), a->output);
        mp_solution_free(sol);
        mp_plan_free(plan);
        return rc;
    }
    for (size_t i = 0; i < mp_solution_warning_count(sol); i++)
        fprintf(stderr, _("warning: %s\n"), mp_solution_warning(sol, i));
    if (res == MP_RESULT_TIME_LIMIT)
        fprintf(stderr, _("mixplan: time limit reached: the plan shown is the best found, not "
                          "proven optimal\n"));
    rc = put_outputs(a, sol, NULL);
    if (rc == MP_EXIT_OK && a->output && !a->quiet)
        print_workbook_line(out, a->output, plan, 0);
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
        return usage_error(_("whatif needs --vary AXIS=VALUES (once or twice)"));
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
        mp_whatif_print_summary_in(w, out, terminal_language());
    for (size_t i = 0; i < mp_whatif_warning_count(w); i++)
        fprintf(stderr, _("warning: %s\n"), mp_whatif_warning(w, i));
    rc = put_outputs(a, NULL, w);
    if (rc == MP_EXIT_OK && a->output && !a->quiet)
        print_workbook_line(out, a->output, plan, 1);
    mp_whatif_free(w);
    mp_plan_free(plan);
    return rc;
}

static int cmd_keywords(const args *a)
{
    mp_status st = mp_keywords_report(a->plan, a->rules, a->unmatched, stdout, stderr);
    return st == MP_OK ? MP_EXIT_OK : fail(st, 1);
}

/* validate lists every error it finds (up to MP_MAX_ERRORS), one a line;
 * optimize and the other commands stop at the first. */
static int cmd_validate(const args *a)
{
    mp_plan *plan;
    mp_errors *errors = NULL;
    mp_status st = mp_plan_check(a->plan, &plan, &errors);
    if (st != MP_OK && !errors)
        return fail(st, 1);
    if (st != MP_OK) {
        size_t n = mp_errors_count(errors);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, _("mixplan: %s\n"), mp_errors_message(errors, i));
        if (n > 1)
            fprintf(stderr, _("mixplan: %s: %zu errors%s\n"), a->plan, n,
                    n >= MP_MAX_ERRORS ? _(" (stopped at the limit)") : "");
        mp_errors_free(errors);
        return exit_for(st, 1);
    }
    print_warnings(plan);
    if (!a->quiet)
        printf(_("%s: valid\n"), a->plan);
    mp_plan_free(plan);
    return MP_EXIT_OK;
}

/* Beyond this many columns glpsol's default (primal simplex) takes minutes to
 * hours on an exported LP (measured on 2 cores: 18,000 columns 1 s, 88,000
 * 21 s, 170,000 49 s, 350,000 7.7 minutes, 1.7 million not done after 18
 * minutes), where its dual simplex with the long-step ratio test and no
 * presolve takes seconds (340,000 columns 1.8 s, 1.7 million 9 s; README). */
enum { GLPSOL_QUICK_COLS = 100000 };

/* What export-lp wrote (columns, rows, megabytes), and a note when glpsol
 * cannot check it in reasonable time. */
static void print_lp_size(const char *path, size_t cols, size_t rows)
{
    struct stat sb;
    double mb = stat(path, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    char size[32];
    snprintf(size, sizeof size, "%.*f", mb < 10 ? 1 : 0, mb);
    char *dot = strchr(size, '.');
    if (dot && !strcmp(mp_message_language(), "fr"))
        *dot = ',';
    printf(_("%s: %zu columns, %zu rows, %s MB\n"), path, cols, rows, size);
    if (cols > GLPSOL_QUICK_COLS)
        printf(_("note: beyond %d columns glpsol's default method takes minutes to hours on "
                 "this file; its dual simplex takes seconds: glpsol --lp %s --dual --flip "
                 "--nopresol -o solution.txt\n"),
               GLPSOL_QUICK_COLS, path);
}

static int cmd_export_lp(const args *a)
{
    if (!a->output)
        return usage_error(_("export-lp needs -o FILE"));
    int rc = check_output(a, a->output);
    if (rc)
        return rc;
    mp_plan *plan;
    mp_status st = mp_plan_load(a->plan, &plan);
    if (st != MP_OK)
        return fail(st, 1);
    if (a->gap && (st = mp_plan_set_gap(plan, a->gap)) != MP_OK) {
        mp_plan_free(plan);
        return fail(st, 1);
    }
    rc = check_clash(plan, "-o", a->output);
    if (!rc)
        rc = check_extension(a->output, OUT_LP);
    if (!rc)
        rc = check_kind(a, a->output, OUT_LP);
    size_t cols = 0, rows = 0;
    if (!rc) {
        mp_solve_opts opts;
        solve_opts(a, &opts);
        st = mp_plan_export_lp_opts(plan, &opts, a->output, &cols, &rows);
        rc = st == MP_OK ? MP_EXIT_OK : fail(st, 0);
    }
    if (!rc && !a->quiet)
        print_lp_size(a->output, cols, rows);
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
        return usage_error(_("--method takes auto, direct or near"));
    return GO_ON;
}

static int option_time_limit(const char *v, args *a)
{
    char *end;
    errno = 0;
    a->time_limit = strtod(v, &end);
    if (errno || *end || !(a->time_limit > 0) || a->time_limit > 1e6)
        return usage_error(_("--time-limit takes a number of seconds"));
    return GO_ON;
}

/* An option getopt_long returned as c (its value in optarg). */
static int take_option(int c, char **argv, args *a)
{
    char msg[256];
    switch (c) {
    case 'o': a->output = optarg; break;
    case 'j': a->json = optarg; break;
    case 'q': a->quiet = 1; break;
    case 'v': a->verbose = 1; break;
    case 'c': a->cold = 1; break;
    case 'r': a->rules = optarg; break;
    case 'u': a->unmatched = 1; break;
    case 'f': a->force = 1; break;
    case 'g': a->gap = optarg; break;
    case 'L': a->lang = optarg; break;
    case 'm': return option_method(optarg, a);
    case 't': return option_time_limit(optarg, a);
    case 'w':
        if (a->nvary == 2)
            return usage_error(_("--vary is given more than twice (a grid has two axes)"));
        a->vary[a->nvary++] = optarg;
        break;
    case 'h': fputs(_(usage_text), stdout); return MP_EXIT_OK;
    case 'V': printf("mixplan %s\n", mp_version()); return MP_EXIT_OK;
    case ':':
        snprintf(msg, sizeof msg, _("option %s needs a value"), argv[optind - 1]);
        return usage_error(msg);
    default:
        snprintf(msg, sizeof msg, _("unknown option %s"), argv[optind - 1]);
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
        return usage_error(_("no command given"));
    if (npos > 2)
        return usage_error(_("too many arguments"));
    if (!find_command(a->cmd)) {
        char msg[256];
        snprintf(msg, sizeof msg, _("unknown command \"%.100s\""), a->cmd);
        return usage_error(msg);
    }
    if (!a->plan)
        return usage_error(strcmp(a->cmd, "keywords") ? _("no plan file given")
                                                      : _("no export given"));
    return GO_ON;
}

static int parse_args(int argc, char **argv, args *a)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"json", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},        {"time-limit", required_argument, NULL, 't'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {"vary", required_argument, NULL, 'w'},
        {"cold", no_argument, NULL, 'c'},         {"method", required_argument, NULL, 'm'},
        {"rules", required_argument, NULL, 'r'},  {"unmatched", no_argument, NULL, 'u'},
        {"force", no_argument, NULL, 'f'},        {"gap", required_argument, NULL, 'g'},
        {"lang", required_argument, NULL, 'L'},   {NULL, 0, NULL, 0}};
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0;
    opterr = 0;
    /* Options may stand before or after the command and the plan (git style):
     * getopt stops at each word that is not an option, which is collected. */
    while (optind < argc) {
        int c = getopt_long(argc, argv, "+:o:j:qt:vhVm:g:", longopts, NULL);
        if (c == -1) {
            if (optind >= argc)
                break;
            if (npos == 3)
                return usage_error(_("too many arguments"));
            pos[npos++] = argv[optind++];
            continue;
        }
        int rc = take_option(c, argv, a);
        if (rc != GO_ON)
            return rc;
    }
    return take_words(pos, npos, a);
}

/* SIGINT / SIGTERM (and SIGHUP): remove the outputs' temporary files, so the
 * previous outputs stay as they were and nothing is left beside them. */
static void on_signal(int sig)
{
    mp_remove_temporaries();
    _exit(128 + sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* Past the file-size limit, write() fails with EFBIG and the output's
     * error names it, instead of the signal ending the run silently. */
    signal(SIGXFSZ, SIG_IGN);
}

int main(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    /* the reader's language for every message, before the first one */
    mp_set_message_language(terminal_language());
    int rc = parse_args(argc, argv, &a);
    if (rc != GO_ON)
        return rc;
    install_signals();
    return find_command(a.cmd)->run(&a);
}
