/* Benchmark (not a test): issue 14's targets (below); then plans of 1k, 10k
 * and 100k keywords plus the four other media, one period; prints parse, build, solve and report
 * times and the peak memory of each run (each size runs in its own process); then a 31-point
 * inflation sweep on the 10k plan, warm-started and cold, against the time of one optimize run; the
 * examples' certified gaps and times at the default gap and at 0.001 %.
 *
 *   mixplan_bench              all of it
 *   mixplan_bench targets [small]  issue 14's targets, each plan in its own process: the
 *                              1.6 M-segment LP's solve, 10k x 13, 100k x 13 with period caps,
 *                              share and CPA rows, 1M keywords x 1 end to end (workbook and
 *                              JSON included), curve bytes a segment; time (wall, CPU), peak
 *                              and --method direct's figures where it fits (up to 10k x 13).
 *   mixplan_bench targets curves   the curve data row alone (curves of 10k x 13 built and
 *                              priced: bytes a segment, wall and CPU seconds).
 *                              small: only the rows that take a couple of minutes
 *   mixplan_bench N [PERIODS [caps|account]]  one plan of N keywords; caps: issue 14's shape
 *                              (a cap a period, an offline share and a CPA cap), the plan of
 *                              the targets' 100k x 13 row at `100000 13 caps`; account: a
 *                              big search account as planners bring it (`80000 13 account`):
 *                              a UTF-16 Keyword Planner export with monthly searches, some
 *                              rows without bids or with bucketed volumes, brand, competitor
 *                              and generic groups by rules, bid ceilings (max_cpc) on the
 *                              channel and a group, a spend cap on the competitor group, a
 *                              CPA cap, period caps, social and TV
 *   mixplan_bench whatif N [warm|cold]  the sweep on a plan of N keywords (one mode: for profiling)
 *   mixplan_bench keywords N   read a UTF-16 export of N rows and sort it with 20 rules
 *   mixplan_bench gap          the examples at the default gap and at --gap 0.001 %
 *   mixplan_bench solve N PERIODS [direct]  the LP of a plan of N keywords with a cap per
 *                              period, an offline share and a CPA cap (issue 14's shape: 1.6 M
 *                              segments at N 4300, 13 periods), solved implicitly (and directly)
 *   mixplan_bench parse N [PERIODS [REPEATS]]  the plan's load alone (the export read, the
 *                              keywords checked, the channels checked): best of REPEATS
 *   mixplan_bench post N PERIODS  the passes after the solve (bound, shadow prices, advice,
 *                              the report's view) of a plan of N keywords, one thread and two
 *   mixplan_bench booked [N [MIN_GRP]]  issue 15's benchmark: the spring example with tv
 *                              flights (min_grp MIN_GRP, 10 unless given; min_burst 2),
 *                              whole spots and whole insertions, with its 48 keywords (N 0)
 *                              or N of its own: time to the booked optimum and MIP nodes;
 *                              MP_BENCH_MIP=whole solves the whole MIP (the before figure),
 *                              MP_BENCH_MIP=band the restricted one whatever the size
 *   mixplan_bench reports [N PERIODS]  report stage alone: workbook and JSON times and
 *                              what writing them adds to the peak memory (100k x 1
 *                              and 30k x 13 by default), and under each plan the CPU
 *                              seconds of libxlsxwriter alone writing its keyword rows
 *                              (tests/xlsx_floor): the floor under xlsx_cpu
 *
 * MP_BENCH_METHOD=direct|near runs the plans of `mixplan_bench N [PERIODS]` with that method;
 * MP_BENCH_DIGITS=1 adds their objective, certified bound and gap to 17 digits (to check that a
 * change to the engine leaves them to the bit). */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "mixplan.h"
#include "bound.h"
#include "model.h"
#include "report.h"
#include "solution.h"
#include "../unit/xorshift.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* CPU seconds of this process: the stage's own work, whatever else the
 * machine runs (a shared machine's wall times wander). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A deterministic pseudo-random stream (xorshift), so runs are comparable. */
static unsigned long long rng = 88172645463325252ULL;
static double uniform(void)
{
    return xorshift_uniform(&rng);
}

/* Plans written with a cap per period and a CPA cap besides the offline share. */
static int issue_shape;
/* Plans written as a big search account (write_account). */
static int account_shape;

/* A line of UTF-8 into f as UTF-16LE, for the ASCII and Latin-1 letters the
 * benchmark's exports use. */
static void put_utf16(FILE *f, const char *line)
{
    for (const unsigned char *c = (const unsigned char *)line; *c; c++) {
        unsigned int u = *c;
        if (u == 0xC3 && c[1]) {
            u = 0xC0 | (c[1] & 0x3F);
            c++;
        }
        fputc((int)(u & 0xFF), f);
        fputc((int)(u >> 8), f);
    }
}

/* A log-normal draw (Box-Muller from two uniforms). */
static double lognormal(double mu, double sigma)
{
    double u = 1 - uniform(), v = uniform();
    return exp(mu + sigma * sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/* Keyword Planner's export of a running-shoe account, UTF-16LE with a BOM,
 * tabs and CRLF, an English interface: n keywords, head + modifier, a brand
 * in 3 in 10 (the client's among them), searches log-normal (a few bucketed
 * to 50, 500 or 5000), 3 % without top-of-page bids, twelve months of
 * searches. */
static int write_account_export(const char *path, long n)
{
    static const char *const heads[] = {"chaussures", "basket", "running", "trail",      "tenue",
                                        "montre",     "short",  "veste",   "chaussette", "sac"};
    static const char *const mods[] = {
        "homme",       "femme", "enfant", "pas cher", "promo",       "soldes",     "légère",
        "imperméable", "route", "piste",  "marathon", "10 km",       "été",        "hiver",
        "noir",        "blanc", "bleu",   "rouge",    "pointure 42", "pointure 38"};
    static const char *const brands[] = {"nike",   "asics",          "salomon", "hoka",
                                         "adidas", "maison lorient", "brooks",  "mizuno"};
    static const char *const months[] = {"Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025",
                                         "Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026",
                                         "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"};
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    char line[1024];
    int at = snprintf(line, sizeof line,
                      "Keyword Stats 2026-06-15 at 09_12_40\r\n\"June 1, 2025 - May 31, 2026\"\r\n"
                      "Keyword\tCurrency\tAvg. monthly searches\tCompetition\t"
                      "Competition (indexed value)\tTop of page bid (low range)\t"
                      "Top of page bid (high range)");
    for (int m = 0; m < 12; m++)
        at += snprintf(line + at, sizeof line - (size_t)at, "\tSearches: %s", months[m]);
    fputs("\xff\xfe", f);
    put_utf16(f, line);
    put_utf16(f, "\r\n");
    for (long i = 0; i < n; i++) {
        const char *brand = uniform() < 0.3 ? brands[(int)(8 * uniform())] : NULL;
        double vol = floor(lognormal(4.0, 1.3)) + 10;
        vol = uniform() < 0.05 ? (double)(int[]){50, 500, 5000}[(int)(3 * uniform())] : vol;
        int comp = 1 + (int)(100 * uniform());
        double lo = 0.1 + 1.1 * uniform(), hi = lo * (1.5 + 2 * uniform());
        at = snprintf(line, sizeof line, "%s %s%s%s %ld\tEUR\t%.0f\t%s\t%d\t",
                      heads[(int)(10 * uniform())], mods[(int)(20 * uniform())], brand ? " " : "",
                      brand ? brand : "", i, vol,
                      comp < 34   ? "Low"
                      : comp < 67 ? "Medium"
                                  : "High",
                      comp);
        if (uniform() < 0.03)
            at += snprintf(line + at, sizeof line - (size_t)at, "\t");
        else
            at += snprintf(line + at, sizeof line - (size_t)at, "%.2f\t%.2f", lo, hi);
        for (int m = 0; m < 12; m++)
            at += snprintf(line + at, sizeof line - (size_t)at, "\t%.0f",
                           floor(vol * (0.7 + 0.6 * uniform())));
        put_utf16(f, line);
        put_utf16(f, "\r\n");
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* File name in folder dir, opened for writing. */
static FILE *open_in(const char *dir, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fopen(path, "w");
}

/* The account's plan (budgets and caps in proportion to n, 3M EUR at 80,000
 * keywords) and its group rules. */
static int write_account(const char *dir, long n, int periods)
{
    char path[512];
    snprintf(path, sizeof path, "%s/kw.csv", dir);
    if (write_account_export(path, n) != 0)
        return -1;
    FILE *f = open_in(dir, "groups.ini");
    if (!f)
        return -1;
    fprintf(f, "[exclude]\nmatch = (?i)\\b(gratuit|emploi|occasion)\\b\n"
               "[group \"brand\"]\nmatch = (?i)\\bmaison\\s+lorient\\b\ncvr = 6%%\nctr = 12%%\n"
               "[group \"competitor\"]\n"
               "match = (?i)\\b(nike|asics|salomon|hoka|adidas|brooks|mizuno)\\b\n"
               "max_cpc = 2.5\ncvr = 1.5%%\n[group \"generic\"]\nmatch = .\n");
    if (fclose(f) != 0)
        return -1;
    if (!(f = open_in(dir, "plan.ini")))
        return -1;
    double k = (double)n / 80000 * periods / 13; /* the reviewer's account: 1 */
    fprintf(f,
            "[plan]\nname = account\nbudget = %.0f\nstart = 2027-03-29\nperiods = %d\n"
            "objective = max conversions\nuniverse = 30M\ninflation = 9%%\n"
            "period_budget = %.0f\n[period 1]\nbudget = %.0f\n"
            "[channel \"sea\"]\ntype = search\nkeywords = kw.csv\ngroups = groups.ini\n"
            "ctr = 4.5%%\ncvr = 3.2%%\nvalue = 85\nmax_cpc = 1.5\ncpc_low = 0.4\ncpc_high = 1.1\n"
            "[channel \"meta\"]\ntype = social\ncpm = 7.5\nctr = 1.2%%\ncvr = 1.6%%\nvalue = 85\n"
            "audience = 2.5M\n[channel \"tf1\"]\ntype = tv\ncpp = 5200\nresponse = hill\n"
            "beta = 620\nec = 45000\nslope = 1\nvalue = 85\n"
            "[constraint \"competitor-cap\"]\nexpr = spend(sea:competitor) <= %.0f\n"
            "[constraint \"cpa\"]\nexpr = cpa <= 70\n",
            3e6 * k, periods, 280e3 * k * 13 / periods, 150e3 * k * 13 / periods, 150e3 * k);
    if (periods >= 7) /* a second capped week, as the reviewer's */
        fprintf(f, "[period 7]\nbudget = %.0f\n", 180e3 * k * 13 / periods);
    return fclose(f) == 0 ? 0 : -1;
}

static int write_inputs(const char *dir, long n, int periods)
{
    if (account_shape)
        return write_account(dir, n, periods);
    char path[512];
    snprintf(path, sizeof path, "%s/kw.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, 2026\"\n"
               "Keyword\tCurrency\tAvg. monthly searches\tCompetition (indexed value)\t"
               "Top of page bid (low range)\tTop of page bid (high range)\n");
    for (long i = 0; i < n; i++) {
        double vol = 50 + 20000 * pow(uniform(), 4);
        double lo = 0.2 + 2 * uniform();
        double hi = lo * (1.5 + 2 * uniform());
        fprintf(f, "keyword %ld\tEUR\t%.0f\t%d\t%.2f\t%.2f\n", i, vol, (int)(100 * uniform()), lo,
                hi);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/plan.ini", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    char cap[64] = "";
    if (issue_shape) /* a little above an even split: the cheaper early weeks hit it */
        snprintf(cap, sizeof cap, "period_budget = %.0f\n",
                 1.1 * (double)(n * 40 + 100000) / periods);
    fprintf(f,
            "[plan]\nname = bench\nbudget = %ld\nstart = 2027-03-01\nperiods = %d\n"
            "universe = 30M\n%s"
            "[channel \"google\"]\ntype = search\nkeywords = kw.csv\nctr = 4%%\ncvr = 3%%\n"
            "value = 80\ninflation = 9%%\n"
            "[channel \"meta\"]\ntype = social\ncpm = 7.5\nctr = 1.2%%\ncvr = 1.5%%\n"
            "audience = 3M\n"
            "[channel \"tf1\"]\ntype = tv\ncpp = 5200\nresponse = hill\nbeta = 900\nec = 60k\n"
            "[channel \"nrj\"]\ntype = radio\ncpp = 900\nresponse = exp\nbeta = 150\n"
            "response_k = 15k\n"
            "[channel \"lequipe\"]\ntype = press\ncpi = 18k\naudience = 1.2M\n"
            "continuous = yes\n"
            "response = michaelis-menten\nbeta = 200\nresponse_k = 40k\n"
            "[constraint \"offline\"]\nexpr = share(offline) >= 20%%\n",
            n * 40 + 100000, periods, cap);
    if (issue_shape)
        fprintf(f, "[constraint \"cpa\"]\nexpr = cpa(google) <= 20\n");
    fclose(f);
    return 0;
}

static mp_status write_both(const mp_solution *sol, const char *xlsx, const char *json);

static int run_one(long n, int periods)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX";
    if (!mkdtemp(dir) || write_inputs(dir, n, periods) != 0) {
        fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    char plan_path[600], out[600];
    snprintf(plan_path, sizeof plan_path, "%s/plan.ini", dir);
    double t0 = now_s();
    mp_plan *plan;
    if (mp_plan_load(plan_path, &plan) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    double t_parse = now_s() - t0;
    mp_solution *sol;
    mp_solve_opts opts;
    mp_solve_opts_init(&opts);
    const char *method = getenv("MP_BENCH_METHOD");
    if (method)
        opts.method = !strcmp(method, "direct") ? MP_METHOD_DIRECT : MP_METHOD_NEAR;
    if (mp_plan_solve(plan, &opts, &sol) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    double t_build, t_solve;
    mp_solution_timings(sol, &t_build, &t_solve);
    /* both at once, the JSON on a second thread, as the CLI and the
     * targets' end-to-end rows write them */
    char json[600];
    snprintf(out, sizeof out, "%s/out.xlsx", dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    t0 = now_s();
    mp_status st = write_both(sol, out, json);
    double t_report = now_s() - t0;
    if (st != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    size_t cols;
    mp_solution_lp_size(sol, &cols, NULL, NULL); /* non-zeros are counted only when asked */
    printf("%8ld %7d %9zu %9.3f %9.3f %9.3f %9.3f %9.3f %9.1f  %s %.1f\n", n, periods, cols,
           t_parse, t_build, t_solve, t_report, t_parse + t_build + t_solve + t_report,
           ru.ru_maxrss / 1024.0,
           mp_solution_result(sol) == MP_RESULT_OPTIMAL ? "optimal" : "NOT OPTIMAL",
           mp_solution_objective(sol));
    if (getenv("MP_BENCH_DIGITS"))
        printf("objective %.17g bound %.17g gap %.17g\n", mp_solution_objective(sol),
               mp_solution_bound(sol), mp_solution_gap(sol));
    fflush(stdout);
    mp_solution_free(sol);
    mp_plan_free(plan);
    char cmd[700];
    snprintf(cmd, sizeof cmd, getenv("MP_BENCH_KEEP") ? "echo kept %s" : "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* ---- issue 15's benchmark: the spring example booked --------------------- */

static double peak_mib(void);

/* N keywords in Keyword Planner's layout, named so that the spring plan's
 * group rules find brand, competitor and generic ones among them. */
static int write_spring_keywords(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, 2026\"\n"
               "Keyword\tCurrency\tAvg. monthly searches\tCompetition (indexed value)\t"
               "Top of page bid (low range)\tTop of page bid (high range)\n");
    static const char *const stem[] = {"maison lorient running", "nike running",
                                       "chaussure running", "basket trail", "running femme"};
    for (long i = 0; i < n; i++) {
        double vol = 20 + 5000 * pow(uniform(), 4);
        double lo = 0.2 + 1.2 * uniform();
        double hi = lo * (1.5 + 1.5 * uniform());
        const char *w = stem[i % 50 == 0 ? 0 : i % 50 == 1 ? 1 : 2 + i % 3];
        fprintf(f, "%s %ld\tEUR\t%.0f\t%d\t%.2f\t%.2f\n", w, i, vol, (int)(100 * uniform()), lo,
                hi);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* The spring example booked as the issue says: tv in whole spots of 1 GRP
 * at 5,200 EUR, min_grp GRP a week it airs, runs of at least 2 weeks; press
 * insertions whole (continuous dropped); with n > 0, n keywords of its own
 * in place of the example's 48. */
static int write_spring_booked(const char *dir, long n, int min_grp)
{
    char path[700], line[1024];
    snprintf(path, sizeof path, "%s/datasets/examples/spring_launch.ini", MP_SOURCE_DIR);
    FILE *in = fopen(path, "r");
    snprintf(path, sizeof path, "%s/plan.ini", dir);
    FILE *out = in ? fopen(path, "w") : NULL;
    if (!out) {
        if (in)
            fclose(in);
        return -1;
    }
    while (fgets(line, sizeof line, in)) {
        char *dots = strstr(line, "../");
        if (strstr(line, "continuous"))
            continue;
        if (n > 0 && !strncmp(line, "keywords", 8))
            fprintf(out, "keywords = kw.csv\n");
        else if (dots)
            fprintf(out, "%.*s%s/datasets/%s", (int)(dots - line), line, MP_SOURCE_DIR, dots + 3);
        else
            fputs(line, out);
        if (!strncmp(line, "min_spend = 100000", 18))
            fprintf(out, "min_grp = %d\nmin_burst = 2\nspot_cost = 5200\ngrp_per_spot = 1\n",
                    min_grp);
    }
    fclose(in);
    if (fclose(out) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/kw.csv", dir);
    return n > 0 ? write_spring_keywords(path, n) : 0;
}

/* One booked spring plan solved: time to the booked optimum (load included),
 * branch and cut's nodes (every round's), the restricted MIP's size. With
 * MP_BENCH_MIP=whole the whole MIP is solved at every size (the engine as it
 * was before the restriction). */
static int run_booked(long n, int min_grp)
{
    char dir[] = "/tmp/mixplan-bookedXXXXXX";
    if (!mkdtemp(dir) || write_spring_booked(dir, n, min_grp) != 0) {
        fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    const char *mode = getenv("MP_BENCH_MIP");
    if (mode && !strcmp(mode, "whole"))
        mpi_mip_tune_band(SIZE_MAX);
    if (mode && !strcmp(mode, "band"))
        mpi_mip_tune_band(0);
    char plan_path[700];
    snprintf(plan_path, sizeof plan_path, "%s/plan.ini", dir);
    double t0 = now_s(), c0 = cpu_s();
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    if (mp_plan_load(plan_path, &plan) != MP_OK || mp_plan_solve(plan, NULL, &sol) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        mp_plan_free(plan);
        return 1;
    }
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    size_t cols;
    mp_solution_lp_size(sol, &cols, NULL, NULL);
    mp_result res = mp_solution_result(sol);
    printf("%8ld %7d %5s %9zu %9zu %6d %8ld %9.3f %9.3f %9.1f  %s %.6f gap %.4g\n", n ? n : 48,
           min_grp, sol->mip_band_cols ? "band" : "whole", cols, sol->mip_band_cols,
           sol->mip_band_rounds, sol->mip_nodes, wall, cpu, peak_mib(),
           res == MP_RESULT_OPTIMAL      ? "optimal"
           : res == MP_RESULT_INFEASIBLE ? "infeasible"
                                         : "other",
           mp_solution_objective(sol), mp_solution_gap(sol));
    fflush(stdout);
    mp_solution_free(sol);
    mp_plan_free(plan);
    char cmd[700];
    snprintf(cmd, sizeof cmd, getenv("MP_BENCH_KEEP") ? "echo kept %s" : "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* A field of /proc/self/status in MiB ("VmRSS", "VmHWM"); -1 when unknown. */
static double status_mib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    double kib = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':')
            kib = atof(line + n + 1);
    fclose(f);
    return kib < 0 ? -1 : kib / 1024.0;
}

/* Forget the peak so far (Linux: 5 to clear_refs resets VmHWM to VmRSS), so
 * the next peak is the stage's own; 0 when the kernel refuses. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* The report stage on its own: solve a plan of n keywords, then write the
 * workbook and the JSON, timing each, and say how far writing them raises
 * the memory above what the solved plan holds. */
static int run_reports(long n, int periods)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX";
    if (!mkdtemp(dir) || write_inputs(dir, n, periods) != 0) {
        fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    char plan_path[600], xlsx[600], json[600];
    snprintf(plan_path, sizeof plan_path, "%s/plan.ini", dir);
    snprintf(xlsx, sizeof xlsx, "%s/out.xlsx", dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    mp_plan *plan;
    mp_solution *sol;
    double t0 = now_s();
    if (mp_plan_load(plan_path, &plan) != MP_OK || mp_plan_solve(plan, NULL, &sol) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    double t_solve = now_s() - t0, peak_solve = status_mib("VmHWM");
    double rss0 = status_mib("VmRSS");
    int reset = reset_peak();
    /* perf record --control fifo:PATH -D -1: profile the reports alone */
    const char *ctl = getenv("MP_BENCH_PERF_CTL");
    FILE *perf_ctl = ctl ? fopen(ctl, "w") : NULL;
    if (perf_ctl) {
        fputs("enable\n", perf_ctl);
        fclose(perf_ctl);
    }
    /* for profiling: MP_BENCH_ONLY=xlsx|json writes one of them,
     * MP_BENCH_REPEAT=N each N times (the times are the last's) */
    const char *only = getenv("MP_BENCH_ONLY");
    int repeat = getenv("MP_BENCH_REPEAT") ? atoi(getenv("MP_BENCH_REPEAT")) : 1;
    mp_status st = MP_OK;
    double t_xlsx = 0, t_json = 0, c_xlsx = 0, c_json = 0;
    for (int r = 0; r < repeat && st == MP_OK; r++) {
        t0 = now_s();
        double c0 = cpu_s();
        if (!only || !strcmp(only, "xlsx"))
            st = mp_solution_write_xlsx(sol, xlsx);
        t_xlsx = now_s() - t0;
        c_xlsx = cpu_s() - c0;
        t0 = now_s();
        c0 = cpu_s();
        if (st == MP_OK && (!only || !strcmp(only, "json")))
            st = mp_solution_write_json(sol, json);
        t_json = now_s() - t0;
        c_json = cpu_s() - c0;
    }
    if (st != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    double peak = status_mib("VmHWM");
    /* both at once, the JSON on a second thread, as the CLI writes them */
    t0 = now_s();
    if (!only && (st = write_both(sol, xlsx, json)) != MP_OK)
        return 1;
    double t_both = only ? NAN : now_s() - t0;
    printf("%8ld %7d %9.3f %8.3f %8.3f %9.3f %8.3f %8.3f %8.3f %10.1f %9.1f %10.1f%s\n", n, periods,
           t_solve, t_xlsx, t_json, t_xlsx + t_json, t_both, c_xlsx, c_json, peak_solve, rss0,
           peak - rss0, reset ? "" : "  (peak not reset: an upper bound)");
    if (getenv("MP_BENCH_DIGITS"))
        printf("objective %.17g bound %.17g gap %.17g\n", mp_solution_objective(sol),
               mp_solution_bound(sol), mp_solution_gap(sol));
    fflush(stdout);
    mp_solution_free(sol);
    mp_plan_free(plan);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* The floor under a workbook of n keywords: CPU seconds of libxlsxwriter
 * alone writing n rows of the Keywords sheet's shape (tests/xlsx_floor, built
 * beside this program); NAN when it cannot be run. */
static double xlsx_floor_cpu(long n)
{
    char exe[512], cmd[700], line[256];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NAN;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(cmd, sizeof cmd, "'%s/tests/xlsx_floor' %ld 2>/dev/null", exe, n);
    FILE *f = popen(cmd, "r");
    if (!f)
        return NAN;
    double wall, cpu = NAN;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "total %lf %lf", &wall, &cpu) == 2)
            break;
    return pclose(f) == 0 ? cpu : NAN;
}

/* run_reports for each plan, each in its own process (a clean peak). */
static int run_reports_all(int argc, char **argv)
{
    printf("\nreport stage: keywords periods solve_s, xlsx_s json_s reports_s (wall, one after "
           "the other), both_s (wall, at once as the CLI writes them), xlsx_cpu json_cpu (CPU "
           "seconds); peak MiB after solving, MiB held before the reports and what writing them "
           "adds to it\n");
    printf("keywords periods   solve_s   xlsx_s   json_s reports_s   both_s xlsx_cpu json_cpu "
           "solve_peak  held_MiB report_add\n");
    long n[2] = {100000, 30000};
    int periods[2] = {1, 13}, count = 2;
    if (argc > 3) {
        n[0] = atol(argv[2]);
        periods[0] = atoi(argv[3]);
        count = 1;
    }
    int rc = 0;
    for (int i = 0; i < count; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_reports(n[i], periods[i]));
        int status = 1;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = 1;
        /* what of xlsx_cpu is the library's: the same rows through it alone */
        printf("%8ld keywords through libxlsxwriter alone (xlsx_floor): %.3f CPU s\n", n[i],
               xlsx_floor_cpu(n[i]));
    }
    return rc;
}

static int run_sweep(long n, const char *only)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX";
    if (!mkdtemp(dir) || write_inputs(dir, n, 1) != 0) {
        fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    char plan_path[600];
    snprintf(plan_path, sizeof plan_path, "%s/plan.ini", dir);
    mp_plan *plan;
    if (mp_plan_load(plan_path, &plan) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    /* This machine's timings wander by a third between runs: each figure is
     * the best of REPEATS, the usual way to time on a shared machine. */
    enum { REPEATS = 3 };
    double single = INFINITY;
    for (int r = 0; r < REPEATS; r++) {
        /* one optimize run: build and solve */
        double t0 = now_s();
        mp_solution *sol;
        if (mp_plan_solve(plan, NULL, &sol) != MP_OK) {
            fprintf(stderr, "%s\n", mp_last_error());
            return 1;
        }
        single = fmin(single, now_s() - t0);
        mp_solution_free(sol);
    }
    const char *axis[1] = {"inflation=0%..30%/1%"};
    printf("\n31-point inflation sweep, %ld keywords; one optimize run (build + solve): %.3f s\n",
           n, single);
    printf("mode   sweep_s  sweep/single  (best of %d; base optimize excluded)\n", REPEATS);
    for (int cold = 0; cold <= 1; cold++) {
        if (only && strcmp(only, cold ? "cold" : "warm") != 0)
            continue;
        double s = INFINITY;
        for (int r = 0; r < (cold ? 1 : REPEATS); r++) {
            mp_whatif_opts opts;
            mp_whatif_opts_init(&opts);
            opts.cold = cold;
            mp_whatif *w;
            if (mp_whatif_run(plan, axis, 1, &opts, &w) != MP_OK) {
                fprintf(stderr, "%s\n", mp_last_error());
                return 1;
            }
            s = fmin(s, mp_whatif_sweep_seconds(w));
            mp_whatif_free(w);
        }
        printf("%-5s %8.3f %13.2f%s\n", cold ? "cold" : "warm", s, s / single,
               cold ? "  (one run: it is slow)" : "");
        fflush(stdout);
    }
    mp_plan_free(plan);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* A UTF-16LE, tab-separated export of n rows (as Keyword Planner writes it)
 * and a rules file of 20 groups; then mixplan keywords' work on them. */
static int run_keywords(long n)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[600], rules[600];
    snprintf(path, sizeof path, "%s/kw.csv", dir);
    snprintf(rules, sizeof rules, "%s/rules.ini", dir);
    static const char *const words[] = {"chaussure", "running", "trail",    "femme", "homme",
                                        "nike",      "asics",   "route",    "été",   "enfant",
                                        "prix",      "promo",   "marathon", "sport", "léger"};
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    fputs("\xff\xfe", f);
    for (long i = -3; i < n; i++) {
        char line[512];
        if (i == -3)
            snprintf(line, sizeof line, "Keyword Stats 2026-06-15 at 09_00_00\r\n");
        else if (i == -2)
            snprintf(line, sizeof line, "\"June 1, 2025 - May 31, 2026\"\r\n");
        else if (i == -1)
            snprintf(line, sizeof line,
                     "Keyword\tCurrency\tAvg. monthly searches\tCompetition\t"
                     "Competition (indexed value)\tTop of page bid (low range)\t"
                     "Top of page bid (high range)\r\n");
        else
            snprintf(line, sizeof line, "%s %s %s %ld\tEUR\t%d\tMedium\t%d\t%.2f\t%.2f\r\n",
                     words[(size_t)i % 15], words[(size_t)(i / 15) % 15],
                     words[(size_t)(i / 225) % 15], i, 50 + (int)(5000 * uniform()),
                     (int)(100 * uniform()), 0.3 + uniform(), 1.4 + uniform());
        put_utf16(f, line);
    }
    fclose(f);
    f = fopen(rules, "w");
    if (!f)
        return 1;
    fprintf(f, "[exclude]\nmatch = (?i)\\b(gratuit|emploi|occasion)\\b\n");
    for (int g = 0; g < 19; g++)
        fprintf(f, "[group \"g%d\"]\nmatch = (?i)\\b%s\\b.*\\b%s\\b\n", g, words[g % 15],
                words[(g * 7 + 3) % 15]);
    fprintf(f, "[group \"other\"]\nmatch = .\n");
    fclose(f);
    FILE *null = fopen("/dev/null", "w");
    double t0 = now_s();
    mp_status st = mp_keywords_report(path, rules, 0, null, NULL);
    double t = now_s() - t0;
    fclose(null);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    else
        printf("\nkeywords: %ld rows (UTF-16LE), 20 rules: %.3f s, peak %.1f MiB\n", n, t,
               ru.ru_maxrss / 1024.0);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return st == MP_OK && system(cmd) == 0 ? 0 : 1;
}

/* Best time (load and solve) of REPEATS runs of a plan, with gap (NULL: the
 * plan's), and the certified gap it reached. */
static int time_plan(const char *path, const char *gap, double *best_s, double *got_gap)
{
    enum { REPEATS = 5 };
    *best_s = INFINITY;
    for (int r = 0; r < REPEATS; r++) {
        double t0 = now_s();
        mp_plan *plan;
        mp_solution *sol = NULL;
        if (mp_plan_load(path, &plan) != MP_OK || (gap && mp_plan_set_gap(plan, gap) != MP_OK) ||
            mp_plan_solve(plan, NULL, &sol) != MP_OK) {
            fprintf(stderr, "%s\n", mp_last_error());
            return 1;
        }
        *best_s = fmin(*best_s, now_s() - t0);
        *got_gap = mp_solution_gap(sol);
        mp_solution_free(sol);
        mp_plan_free(plan);
    }
    return 0;
}

/* The examples with the default gap (0.1 %) and with --gap 0.001 %: the
 * certified gap each reaches and its time (the finer one must take under
 * twice the default's). */
static int run_gap(void)
{
    static const char *const examples[] = {"spring_launch", "leadgen_b2b", "mmm_curves"};
    printf("\ncertified gap: example, gap and time (load + solve, best of 5) at the default "
           "gap and at --gap 0.001%%\n");
    printf("%-14s %11s %9s %11s %9s %7s\n", "example", "gap_default", "time_s", "gap_0.001%",
           "time_s", "ratio");
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/datasets/examples/%s.ini", MP_SOURCE_DIR, examples[i]);
        double t0, g0, t1, g1;
        if (time_plan(path, NULL, &t0, &g0) != 0 || time_plan(path, "0.001%", &t1, &g1) != 0)
            return 1;
        printf("%-14s %10.5f%% %9.3f %10.5f%% %9.3f %7.2f\n", examples[i], 100 * g0, t0, 100 * g1,
               t1, t1 / t0);
        fflush(stdout);
    }
    return 0;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

/* One LP solve of the model, timed (wall and CPU of both threads), in this
 * process: implicit or direct. */
static int solve_model(const mpi_model *m, int direct, double *obj)
{
    double t0 = now_s(), c0 = cpu_s();
    mpi_lp_sol sol;
    mp_status st = direct ? mpi_model_solve_explicit(m, NULL, &sol)
                          : mpi_model_solve_implicit(m, NULL, NULL, &sol);
    double t = now_s() - t0, cpu = cpu_s() - c0;
    if (st != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    mpi_implicit_stats is;
    mpi_implicit_last(&is);
    printf("%-9s %9.3f %9.3f %9.1f  %s %.10g", direct ? "direct" : "implicit", t, cpu, peak_mib(),
           sol.status == MPI_LP_OPTIMAL ? "optimal" : "NOT OPTIMAL", sol.obj);
    if (!direct)
        printf("  (sample %zu cols, %zu rounds, last band %zu cols%s; GLPK %.3f s, starting "
               "prices %.3f s)",
               is.sample_cols, is.rounds, is.band_cols, is.whole ? ", whole LP" : "", is.glpk_s,
               is.sample_s);
    printf("\n");
    fflush(stdout);
    *obj = sol.obj;
    mpi_lp_sol_free(&sol);
    return 0;
}

/* The LP of a plan of issue 14's shape solved implicitly, best of 3 (and with
 * direct, by GLPK on the whole LP in a process of its own, for its memory). */
static int run_solve(long n, int periods, int direct)
{
    if (getenv("MP_BENCH_WHOLE_MAX")) /* for tuning: the implicit solve's thresholds */
        mpi_implicit_tune((size_t)atol(getenv("MP_BENCH_WHOLE_MAX")));
    if (getenv("MP_BENCH_BAND"))
        mpi_implicit_tune_band(atof(getenv("MP_BENCH_BAND")));
    char dir[] = "/tmp/mixplan-benchXXXXXX";
    issue_shape = 1;
    if (!mkdtemp(dir) || write_inputs(dir, n, periods) != 0)
        return 1;
    char plan_path[600];
    snprintf(plan_path, sizeof plan_path, "%s/plan.ini", dir);
    mp_plan *plan;
    mpi_model m;
    if (mp_plan_load(plan_path, &plan) != MP_OK || mpi_model_build(plan, NULL, &m) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    printf("LP of %ld keywords x %d periods: %zu segments, %zu rows, %zu non-zeros; model built: "
           "peak %.1f MiB\n",
           n, periods, m.lp.ncols, m.lp.nrows, m.lp.nnz, peak_mib());
    printf("method     solve_s     cpu_s  peak_MiB  result\n");
    double obj = 0, obj_direct = 0;
    int rc = 0;
    for (int r = 0; r < 3 && rc == 0; r++)
        rc = solve_model(&m, 0, &obj);
    fflush(stdout);
    pid_t pid = direct && rc == 0 ? fork() : -1;
    if (pid == 0)
        _exit(solve_model(&m, 1, &obj_direct));
    int status = 0;
    if (pid > 0 && (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)))
        rc = 1;
    mpi_model_free(&m);
    mp_plan_free(plan);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? rc : 1;
}

/* ---- issue 14's targets ------------------------------------------------------ */

/* What a measured process reports back to the bench (a page shared with it). */
typedef struct figures {
    double wall_s, cpu_s, peak_mib;
    double value; /* bytes a segment, for the curve data row */
    size_t segments;
    int ok;
} figures;

/* Run fn(arg, out) in a process of its own (its own peak), *out filled there;
 * 0 when it ran and said ok. */
static int in_process(int (*fn)(const void *, figures *), const void *arg, figures *out)
{
    figures *shared =
        mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 1;
    memset(shared, 0, sizeof *shared);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(arg, shared) == 0 && shared->ok ? 0 : 1);
    int status = 1;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        status = 1;
    *out = *shared;
    munmap(shared, sizeof *shared);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* A plan to run end to end: its size, shape and method. */
typedef struct plan_run {
    long n;
    int periods;
    int shape; /* issue 14's: a cap a period, an offline share and a CPA cap */
    int direct;
} plan_run;

/* Write the inputs of r into dir and its plan's path into plan_path. */
static int plan_inputs(const plan_run *r, char *dir, char *plan_path, size_t size)
{
    issue_shape = r->shape;
    rng = 88172645463325252ULL;
    if (!mkdtemp(dir) || write_inputs(dir, r->n, r->periods) != 0) {
        fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    snprintf(plan_path, size, "%s/plan.ini", dir);
    return 0;
}

static int remove_dir(const char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

typedef struct json_out {
    const mp_solution *sol;
    const char *path;
    mp_status st;
} json_out;

static void *write_json_job(void *arg)
{
    json_out *j = arg;
    j->st = mp_solution_write_json(j->sol, j->path);
    if (j->st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    return NULL;
}

/* The workbook and the JSON at once, as `mixplan optimize -o --json` writes
 * them (the JSON on a second thread). */
static mp_status write_both(const mp_solution *sol, const char *xlsx, const char *json)
{
    json_out j = {sol, json, MP_OK};
    pthread_t second;
    int threaded = pthread_create(&second, NULL, write_json_job, &j) == 0;
    if (!threaded)
        write_json_job(&j);
    mp_status st = mp_solution_write_xlsx(sol, xlsx);
    if (threaded)
        pthread_join(second, NULL);
    return st != MP_OK ? st : j.st;
}

/* Load, solve, and write the workbook and the JSON (at once, as the CLI
 * does): the time of all of it (inputs written beforehand, not counted). */
static int end_to_end(const void *arg, figures *out)
{
    const plan_run *r = arg;
    char dir[] = "/tmp/mixplan-benchXXXXXX", plan_path[600], xlsx[600], json[600];
    if (plan_inputs(r, dir, plan_path, sizeof plan_path) != 0)
        return 1;
    snprintf(xlsx, sizeof xlsx, "%s/out.xlsx", dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    mp_solve_opts opts;
    mp_solve_opts_init(&opts);
    opts.method = r->direct ? MP_METHOD_DIRECT : MP_METHOD_AUTO;
    double t0 = now_s(), c0 = cpu_s();
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load(plan_path, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, &opts, &sol);
    if (st == MP_OK)
        st = write_both(sol, xlsx, json);
    out->wall_s = now_s() - t0;
    out->cpu_s = cpu_s() - c0;
    out->peak_mib = peak_mib();
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    else {
        mp_solution_lp_size(sol, &out->segments, NULL, NULL);
        out->ok = mp_solution_result(sol) == MP_RESULT_OPTIMAL;
    }
    mp_solution_free(sol);
    mp_plan_free(plan);
    return remove_dir(dir) || st != MP_OK;
}

/* The LP of a plan built, then solved alone: best of 3 (implicit) or once
 * (direct: GLPK on the whole LP). */
static int lp_solve_only(const void *arg, figures *out)
{
    const plan_run *r = arg;
    char dir[] = "/tmp/mixplan-benchXXXXXX", plan_path[600];
    if (plan_inputs(r, dir, plan_path, sizeof plan_path) != 0)
        return 1;
    mp_plan *plan;
    mpi_model m;
    if (mp_plan_load(plan_path, &plan) != MP_OK || mpi_model_build(plan, NULL, &m) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    out->wall_s = out->cpu_s = INFINITY;
    out->segments = m.lp.ncols;
    mp_status st = MP_OK;
    for (int k = 0; k < (r->direct ? 1 : 3) && st == MP_OK; k++) {
        double t0 = now_s(), c0 = cpu_s();
        mpi_lp_sol sol;
        st = r->direct ? mpi_model_solve_explicit(&m, NULL, &sol)
                       : mpi_model_solve_implicit(&m, NULL, NULL, &sol);
        out->wall_s = fmin(out->wall_s, now_s() - t0);
        out->cpu_s = fmin(out->cpu_s, cpu_s() - c0);
        if (st == MP_OK) {
            out->ok = sol.status == MPI_LP_OPTIMAL;
            mpi_lp_sol_free(&sol);
        }
    }
    out->peak_mib = peak_mib();
    mpi_model_free(&m);
    mp_plan_free(plan);
    return remove_dir(dir) || st != MP_OK;
}

/* Bytes the allocator holds (small blocks and mapped ones). */
static double heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Curve data a segment: what building and pricing the curves (kept for
 * repricing, as a solve keeps them) adds to the heap, and what the models
 * keep for their curves (ops->curve_bytes, counted once), over the curves'
 * segments. */
static int curve_bytes(const void *arg, figures *out)
{
    const plan_run *r = arg;
    char dir[] = "/tmp/mixplan-benchXXXXXX", plan_path[600];
    if (plan_inputs(r, dir, plan_path, sizeof plan_path) != 0)
        return 1;
    mp_plan *plan;
    if (mp_plan_load(plan_path, &plan) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    mpi_model m;
    memset(&m, 0, sizeof m);
    double *domain = mpi_model_domain(plan, NULL, 1);
    double before = heap_bytes(), t0 = now_s(), c0 = cpu_s();
    mp_status st = domain ? mpi_model_curves(plan, domain, NULL, NULL, &m) : MP_ERR_NOMEM;
    if (st == MP_OK)
        st = mpi_model_price(&m, NULL, 1);
    out->wall_s = now_s() - t0;
    out->cpu_s = cpu_s() - c0;
    for (size_t i = 0; i < m.curves.n; i++)
        out->segments += (size_t)m.curves.v[i].nseg;
    /* and what the models keep for their curves when the plan is checked
     * (search shapes and the arrays a keyword's curves share) */
    double kept = 0;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].ops->curve_bytes)
            kept += (double)plan->ch[c].ops->curve_bytes(plan->ch[c].params);
    out->value = (heap_bytes() - before + kept) / (double)(out->segments ? out->segments : 1);
    out->peak_mib = peak_mib();
    out->ok = st == MP_OK;
    free(domain);
    mpi_model_free(&m);
    mp_plan_free(plan);
    return remove_dir(dir) || st != MP_OK;
}

/* One row of the targets table: issue 14's goal beside the figures, and
 * --method direct's on the same plan where it runs (up to 10k x 13). */
typedef struct target {
    const char *what;
    int (*fn)(const void *, figures *);
    plan_run run;
    int with_direct;
    int small; /* run by `targets small` */
    double goal_s, goal_mib, goal_bytes;
} target;

static void print_target(const target *t, const figures *f, const figures *d, int rc, int drc)
{
    char goal[64], ratio[64] = "";
    if (t->goal_bytes > 0)
        snprintf(goal, sizeof goal, "<= %.0f B/seg", t->goal_bytes);
    else if (t->goal_mib > 0)
        snprintf(goal, sizeof goal, "<= %.2f s, %.0f MB", t->goal_s, t->goal_mib);
    else
        snprintf(goal, sizeof goal, "<= %.2f s", t->goal_s);
    if (d && drc == 0)
        snprintf(ratio, sizeof ratio, "%8.3f %8.1f %7.1fx", d->wall_s, d->peak_mib,
                 d->wall_s / f->wall_s);
    else if (d)
        snprintf(ratio, sizeof ratio, "  direct failed");
    char value[32] = "";
    if (t->goal_bytes > 0)
        snprintf(value, sizeof value, "%6.1f B/seg", f->value);
    printf("%-44s %10zu %8.3f %8.3f %8.1f %-20s %s%s%s\n", t->what, f->segments, f->wall_s,
           f->cpu_s, f->peak_mib, goal, value, ratio,
           rc                           ? "  FAILED"
           : f->ok || t->goal_bytes > 0 ? ""
                                        : "  NOT OPTIMAL");
    fflush(stdout);
}

/* Issue 14's targets, each plan in a process of its own; small: only the
 * rows that run in a couple of minutes (1.6 M segments, 10k x 13, curve data);
 * curves: only the curve data row (seconds). */
static int run_targets(int small, int curves)
{
    static const target rows[] = {
        {"1.6 M segments, 16 rows: solve", lp_solve_only, {4300, 13, 1, 0}, 1, 1, 0.15, 0, 0},
        {"10k x 13 end to end", end_to_end, {10000, 13, 0, 0}, 1, 1, 0.6, 250, 0},
        {"100k x 13, caps, share, CPA, xlsx + JSON",
         end_to_end,
         {100000, 13, 1, 0},
         0,
         0,
         5,
         1000,
         0},
        {"1M keywords x 1 period end to end", end_to_end, {1000000, 1, 0, 0}, 0, 0, 8, 2000, 0},
        {"curve data a segment (10k x 13)", curve_bytes, {10000, 13, 0, 0}, 0, 1, 0, 0, 24},
    };
    printf("issue 14's targets (wall and CPU seconds of both threads, peak MiB; direct: "
           "--method direct on the same plan, its wall seconds, peak and how many times "
           "slower)\n");
    printf("%-44s %10s %8s %8s %8s %-20s %s\n", "plan", "segments", "wall_s", "cpu_s", "peak_MiB",
           "target", "direct_s direct_MiB  ratio");
    int rc = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const target *t = &rows[i];
        if ((small && !t->small) || (curves && t->fn != curve_bytes))
            continue;
        figures f, d;
        int r1 = in_process(t->fn, &t->run, &f), r2 = 0;
        if (t->with_direct) {
            plan_run direct = t->run;
            direct.direct = 1;
            r2 = in_process(t->fn, &direct, &d);
        }
        print_target(t, &f, t->with_direct ? &d : NULL, r1, r2);
        rc |= r1 | r2;
    }
    return rc;
}

/* ---- parsing ------------------------------------------------------------------ */

/* mp_plan_load alone on a plan of n keywords (the export read, the keywords
 * checked, the channels' curves' data found): wall and CPU seconds, best of
 * repeats, and the peak. */
static int run_parse(long n, int periods, int repeats)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX", plan_path[600];
    plan_run r = {n, periods, 0, 0};
    if (plan_inputs(&r, dir, plan_path, sizeof plan_path) != 0)
        return 1;
    double wall = INFINITY, cpu = INFINITY;
    int rc = 0;
    for (int k = 0; k < repeats && rc == 0; k++) {
        double t0 = now_s(), c0 = cpu_s();
        mp_plan *plan;
        rc = mp_plan_load(plan_path, &plan) != MP_OK;
        wall = fmin(wall, now_s() - t0);
        cpu = fmin(cpu, cpu_s() - c0);
        if (rc)
            fprintf(stderr, "%s\n", mp_last_error());
        else
            mp_plan_free(plan);
    }
    printf("parse %ld keywords x %d periods: %.3f s wall, %.3f s CPU (best of %d), peak %.1f "
           "MiB\n",
           n, periods, wall, cpu, repeats, peak_mib());
    return remove_dir(dir) || rc;
}

/* ---- the passes after the solve ----------------------------------------------- */

/* Wall and CPU seconds of one pass over a solved plan, on one thread and on
 * two (the passes split the curves in two halves either way). */
static int time_post_pass(mp_solution *sol, int which, double *wall, double *cpu)
{
    double t0 = now_s(), c0 = cpu_s();
    mp_status st = MP_OK;
    if (which == 0) {
        mpi_bound b;
        memset(&b, 0, sizeof b);
        st = mpi_lagrange_bound(&sol->model, sol->sc, sol->lp.row_dual, sol->lp.x, sol->objective,
                                sol->plan->gap, 0, &b);
    } else if (which == 1) {
        st = mpi_shadow_prices(sol);
    } else if (which == 2) {
        st = mpi_solution_advise(sol);
    } else {
        mpi_report *r = NULL;
        st = mpi_report_build(sol, &r);
        mpi_report_free(r);
    }
    *wall = now_s() - t0;
    *cpu = cpu_s() - c0;
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    return st != MP_OK;
}

/* The bound, shadow prices, advice and the report's view (limits) of a
 * solved plan of n keywords, each on one thread and on two (best of 2). */
static int run_post(long n, int periods)
{
    char dir[] = "/tmp/mixplan-benchXXXXXX", plan_path[600];
    plan_run r = {n, periods, 0, 0};
    if (plan_inputs(&r, dir, plan_path, sizeof plan_path) != 0)
        return 1;
    mp_plan *plan;
    mp_solution *sol;
    if (mp_plan_load(plan_path, &plan) != MP_OK || mp_plan_solve(plan, NULL, &sol) != MP_OK) {
        fprintf(stderr, "%s\n", mp_last_error());
        return 1;
    }
    static const char *const names[4] = {"bound", "shadow prices", "advise", "report (limits)"};
    printf("passes after the solve, %ld keywords x %d periods (%zu curves): wall and CPU s, best "
           "of 2\n%-16s %9s %9s %9s %9s\n",
           n, periods, sol->model.curves.n, "pass", "1t_wall", "1t_cpu", "2t_wall", "2t_cpu");
    int rc = 0;
    for (int p = 0; p < 4 && rc == 0; p++) {
        double best[2][2] = {{INFINITY, INFINITY}, {INFINITY, INFINITY}};
        for (int t = 0; t < 2 && rc == 0; t++) {
            size_t was = mpi_halves_tune_threads(t ? 0 : (size_t)-1);
            for (int k = 0; k < 2 && rc == 0; k++) {
                double w, c;
                rc = time_post_pass(sol, p, &w, &c);
                best[t][0] = fmin(best[t][0], w);
                best[t][1] = fmin(best[t][1], c);
            }
            mpi_halves_tune_threads(was);
        }
        printf("%-16s %9.3f %9.3f %9.3f %9.3f\n", names[p], best[0][0], best[0][1], best[1][0],
               best[1][1]);
        fflush(stdout);
    }
    mp_solution_free(sol);
    mp_plan_free(plan);
    return remove_dir(dir) || rc;
}

int main(int argc, char **argv)
{
    if (argc > 3 && !strcmp(argv[1], "solve"))
        return run_solve(atol(argv[2]), atoi(argv[3]), argc > 4 && !strcmp(argv[4], "direct"));
    if (argc > 2 && !strcmp(argv[1], "parse"))
        return run_parse(atol(argv[2]), argc > 3 ? atoi(argv[3]) : 1, argc > 4 ? atoi(argv[4]) : 1);
    if (argc > 3 && !strcmp(argv[1], "post"))
        return run_post(atol(argv[2]), atoi(argv[3]));
    if (argc > 1 && !strcmp(argv[1], "booked")) {
        printf("keywords min_grp   mip   columns  band_cols rounds    nodes    wall_s     cpu_s  "
               "peak_MiB  result\n");
        return run_booked(argc > 2 ? atol(argv[2]) : 0, argc > 3 ? atoi(argv[3]) : 10);
    }
    if (argc > 1 && !strcmp(argv[1], "targets"))
        return run_targets(argc > 2 && !strcmp(argv[2], "small"),
                           argc > 2 && !strcmp(argv[2], "curves"));
    if (argc > 1 && !strcmp(argv[1], "gap"))
        return run_gap();
    if (argc > 1 && !strcmp(argv[1], "reports"))
        return run_reports_all(argc, argv);
    if (argc > 2 && !strcmp(argv[1], "keywords"))
        return run_keywords(atol(argv[2]));
    if (argc > 2 && !strcmp(argv[1], "whatif"))
        return run_sweep(atol(argv[2]), argc > 3 ? argv[3] : NULL);
    int rc = 0;
    if (argc == 1) {
        rc = run_targets(0, 0);
        printf("\n");
    }
    printf("keywords periods   columns  parse_s   build_s   solve_s  report_s   total_s  peak_MiB  "
           "result\n");
    if (argc > 1) {
        issue_shape = argc > 3 && !strcmp(argv[3], "caps");
        account_shape = argc > 3 && !strcmp(argv[3], "account");
        return run_one(atol(argv[1]), argc > 2 ? atoi(argv[2]) : 1);
    }
    const long sizes[3] = {1000, 10000, 100000};
    for (int i = 0; i < 3; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_one(sizes[i], 1));
        int status = 1;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = 1;
    }
    if (run_sweep(10000, NULL) != 0)
        rc = 1;
    if (run_gap() != 0)
        rc = 1;
    if (run_reports_all(argc, argv) != 0)
        rc = 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(run_keywords(100000));
    int status = 1;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = 1;
    return rc;
}
