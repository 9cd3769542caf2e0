/**
 * @file mixplan.h
 * @brief libmixplan: media-mix budget optimisation.
 *
 * The one public header of the engine. A plan file is loaded into an opaque
 * ::mp_plan, solved into an opaque ::mp_solution, and the solution is written as
 * a terminal summary, JSON or an Excel workbook.
 *
 * Ownership: every object returned through an out-pointer belongs to the
 * caller and is released with its `_free` function; `_free(NULL)` is a no-op.
 * A solution and a what-if run borrow their plan (and a run its base
 * solution, mp_whatif_base()): free them before the plan. A string returned
 * by a getter belongs to the object it was read from (for channel, keyword
 * and constraint names: to the plan behind it) and stays valid until that
 * object is freed.
 *
 * Errors: each call returns an ::mp_status. On failure, mp_last_error() gives a
 * one-line message naming the file, line and key where that applies
 * (`brief.ini:14: cpm: expected a positive number, got "7,5O"`); the message
 * is the calling thread's and stays valid until that thread's next call.
 * An infeasible plan is a result (see mp_solution_result()), not an error.
 *
 * Threads: the library has no global state but its per-thread error message
 * and message language (mp_set_message_language()).
 * Different plans, solutions and runs may be used from different threads at
 * once, and so may one plan that is only read (solved, written, run) by
 * several threads; an object is freed by one thread when no other uses it.
 * A what-if run solves on two worker threads of its own.
 *
 * Arguments: a NULL handle, out-pointer, path or stream, or an index out of
 * range, is never a crash. A call returning ::mp_status returns MP_ERR_INPUT
 * (with a message); otherwise a number is NAN, a count 0, a flag -1, a string
 * NULL, a result MP_RESULT_INFEASIBLE (no plan), and a call returning nothing
 * does nothing (its outputs are set to NAN for times, 0 for sizes).
 */
#ifndef MIXPLAN_H
#define MIXPLAN_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a function that returns its argument translated, so a printf
 *  format passed through it is checked as the argument (as gettext does). */
#if defined(__GNUC__)
#define MP_FORMAT_ARG(n) __attribute__((format_arg(n)))
#else
#define MP_FORMAT_ARG(n)
#endif

/** Status of a library call. */
typedef enum mp_status {
    MP_OK = 0,      /**< Success. */
    MP_ERR_INPUT,   /**< Bad input: plan file, dataset or expression. */
    MP_ERR_IO,      /**< A file could not be read or written. */
    MP_ERR_NOMEM,   /**< Out of memory. */
    MP_ERR_SOLVER,  /**< The LP solver failed (not: the plan is infeasible). */
    MP_ERR_LIMIT,   /**< An input exceeds a documented size limit. */
    MP_ERR_INTERNAL /**< A defect in mixplan; please report it. */
} mp_status;

/** Outcome of an optimisation, separate from the call status. */
typedef enum mp_result {
    MP_RESULT_OPTIMAL = 0, /**< A provably optimal plan (within the curve tolerance). */
    MP_RESULT_INFEASIBLE,  /**< No plan meets every constraint; see mp_solution_explain(). */
    MP_RESULT_UNBOUNDED,   /**< The objective has no finite optimum. */
    MP_RESULT_TIME_LIMIT   /**< Stopped at the time limit. */
} mp_result;

/**
 * The library's version, "MAJOR.MINOR.PATCH" (project(mixplan VERSION ...) in
 * CMakeLists.txt). There is no version macro: a macro would be compiled into
 * the caller and report the header it was built with, not the shared library
 * actually loaded, and it would be a second copy of the number to keep true.
 */
const char *mp_version(void);

/** A short description of a status code; never NULL. */
const char *mp_strerror(mp_status status);

/** The detailed message of the last failed call in this thread; "" if none. */
const char *mp_last_error(void);

/**
 * The language of the messages the calling thread gets from now on: "en"
 * (the default) or "fr", any case; NULL: English. It is the language of
 * the person running the program, not the workbook's (that is
 * mp_plan_set_language(), the client's): mp_last_error(), mp_strerror(),
 * mp_errors_message(), the warnings and notes of the plans, solutions and
 * what-if runs made on this thread (a what-if run's worker threads take
 * the language of the thread that runs it), an infeasible plan's
 * explanation (mp_solution_explain()) and mp_message(). A message is
 * formed when it arises and keeps its language: the JSON result carries
 * the warnings and explanation as they were formed (its keys and codes
 * stay English), and so does the workbook. Per thread, like the last
 * error: the library reads no locale (a command line sets this from
 * LANG / LC_MESSAGES) and two threads may use two languages at once. A
 * message the catalogue lacks shows in English.
 * @return MP_OK; MP_ERR_INPUT for another code (the language unchanged,
 *   the message names the codes).
 */
mp_status mp_set_message_language(const char *lang);

/** The calling thread's message language: "en" or "fr". */
const char *mp_message_language(void);

/**
 * msgid (a message's English text) in the calling thread's message
 * language, from the library's catalogue (po/LANG.po); msgid itself in
 * English or when the catalogue lacks it; NULL for NULL. The mixplan
 * command keeps its own words (usage, option errors) in the same
 * catalogue and prints them through this, so each language has one
 * catalogue. The string is the library's constant data: never freed.
 */
const char *mp_message(const char *msgid) MP_FORMAT_ARG(1);

/**
 * Remove the temporary files of the outputs being written (all threads).
 * Async-signal-safe: meant for a SIGINT / SIGTERM handler, which then ends
 * the process; the outputs' previous contents are left as they were.
 */
void mp_remove_temporaries(void);

/** A loaded, validated plan (brief, channels, datasets, constraints). */
typedef struct mp_plan mp_plan;
/** The result of optimising a plan. */
typedef struct mp_solution mp_solution;

/**
 * Load and validate a plan file. Dataset paths in the plan are relative to the
 * plan file's directory. On success *out owns the plan.
 * @return MP_OK, MP_ERR_INPUT (message names file:line: key), MP_ERR_IO, MP_ERR_LIMIT.
 */
mp_status mp_plan_load(const char *path, mp_plan **out);

/**
 * Load and validate a plan from text in memory (the content of a plan file,
 * UTF-8, len bytes; it need not be NUL-terminated). Dataset paths in the
 * plan are relative to base_dir (NULL or "": the current directory).
 * Messages name the plan "<buffer>". On success *out owns the plan; the
 * caller's text is not kept.
 * @return as mp_plan_load(); MP_ERR_INPUT also for a NULL text or out.
 */
mp_status mp_plan_load_buffer(const char *text, size_t len, const char *base_dir, mp_plan **out);

/** Free a plan and everything it owns. NULL is a no-op. */
void mp_plan_free(mp_plan *plan);

/** The most errors mp_plan_check() lists. */
#define MP_MAX_ERRORS 50

/** The errors mp_plan_check() found, in the order found. */
typedef struct mp_errors mp_errors;

/**
 * Check the plan file at path as mp_plan_load() does, but go on after an error
 * where that is safe (the next key, the next section, the next channel or
 * constraint) and list every error, up to ::MP_MAX_ERRORS; the load stops
 * where what follows depends on what failed (the number of periods, the
 * currency). Returns the first error's status (MP_OK: the plan loads) and sets
 * mp_last_error() to its message, as mp_plan_load() would. On MP_OK, *plan
 * (when plan is not NULL) receives the plan, to free with mp_plan_free(); on
 * an error, *errors (when errors is not NULL) receives the list, each message
 * "file:line: key: what is wrong", to free with mp_errors_free(); out of
 * memory gives no list.
 */
mp_status mp_plan_check(const char *path, mp_plan **plan, mp_errors **errors);
/** Number of errors listed (0 for NULL). */
size_t mp_errors_count(const mp_errors *errors);
/** Error i (0-based), owned by the list; NULL when out of range. */
const char *mp_errors_message(const mp_errors *errors, size_t i);
/** Free the list; NULL is a no-op. */
void mp_errors_free(mp_errors *errors);

/** Number of warnings gathered while loading (bucketed volumes, envelopes...). */
size_t mp_plan_warning_count(const mp_plan *plan);
/** Warning i (0-based), as "file:line: message"; NULL when out of range. */
const char *mp_plan_warning(const mp_plan *plan, size_t i);

/** How the LP is solved. */
typedef enum mp_method {
    MP_METHOD_AUTO = 0, /**< from the curves and row prices: GLPK on the segments in question */
    MP_METHOD_DIRECT,   /**< GLPK's dual simplex on the whole LP */
    MP_METHOD_NEAR      /**< from the duals of an 8x coarser LP, GLPK on the segments in question */
} mp_method;

/** Number of notes gathered while loading (rows read and skipped, groups). */
size_t mp_plan_note_count(const mp_plan *plan);
/** Note i (0-based); NULL when out of range. Valid while the plan is. */
const char *mp_plan_note(const mp_plan *plan, size_t i);

/** Number of files the plan read: the plan file, Keyword Planner exports,
 * rules files, curve tables, CO2 factor tables (each once). An output must
 * never be written over one of them. */
size_t mp_plan_input_count(const mp_plan *plan);
/** Input file i (0-based), as the plan names it (relative paths resolved
 * against the plan's directory); NULL when out of range. */
const char *mp_plan_input(const mp_plan *plan, size_t i);

/* ---- The brief, as the JSON's "plan" object gives it ------------------- */

/** The plan's name ([plan] name; "Untitled plan" when not given). */
const char *mp_plan_name(const mp_plan *plan);
/** The client ([plan] client; "" when not given). */
const char *mp_plan_client(const mp_plan *plan);
/** The plan file's path as given to mp_plan_load(), or "<buffer>". */
const char *mp_plan_file(const mp_plan *plan);
/** The currency code of every amount ("EUR"). */
const char *mp_plan_currency(const mp_plan *plan);
/** The campaign budget (currency). */
double mp_plan_budget(const mp_plan *plan);
/** 1 when the whole budget must be spent (budget_mode = exact), 0 for a cap. */
int mp_plan_budget_exact(const mp_plan *plan);
/** The first day as "YYYY-MM-DD" into buf (at least 11 bytes). */
mp_status mp_plan_start(const mp_plan *plan, char *buf, size_t n);
/** Periods of the plan, and their unit: "week" or "month". */
size_t mp_plan_period_count(const mp_plan *plan);
const char *mp_plan_period_unit(const mp_plan *plan);
/** The curves' tolerance, a fraction of each curve's range (0.001: 0.1 %). */
double mp_plan_precision(const mp_plan *plan);
/** The certified optimality gap solving aims for: the largest distance
 * |bound - objective| / |bound| to the exact optimum it stops at (0.001:
 * 0.1 %, the default; `[plan] gap`). */
double mp_plan_gap(const mp_plan *plan);
/**
 * Set the gap to aim for from text as the plan file writes it ("0.01%", or a
 * bare fraction such as 0.0001), e.g. a command line's --gap.
 * @return MP_OK; MP_ERR_INPUT for NULL arguments or a value that is not a
 *   gap between 0.001 % and 10 % (the message names --gap).
 */
mp_status mp_plan_set_gap(mp_plan *plan, const char *gap);
/** The workbook's language: "en" (the default) or "fr" (`[plan] language`). */
const char *mp_plan_language(const mp_plan *plan);
/**
 * Set the workbook's language from its code, "en" or "fr" (any case), e.g. a
 * command line's --lang. Sheet names, headings, notes, chart titles, dates
 * and numbers written as text follow it; the terminal summary does not (see
 * mp_solution_print_summary_in()).
 * @return MP_OK; MP_ERR_INPUT for NULL arguments or another code (the
 *   message names --lang and the codes), the language unchanged.
 */
mp_status mp_plan_set_language(mp_plan *plan, const char *lang);
/** The target population ([plan] universe, people); NAN when not given. */
double mp_plan_universe(const mp_plan *plan);

/** Solver options; fill with mp_solve_opts_init() before changing fields. */
typedef struct mp_solve_opts {
    double time_limit_s; /**< 0: no limit; a finite number of seconds >= 0 */
    int verbose;         /**< 1: pass the LP solver's log to log (the library prints nothing). */
    mp_method method;    /**< how to solve; the answer is the same optimum */
    /** Receives the solver's log text when verbose (may be called from the
     * what-if run's worker threads); NULL: the log is dropped. */
    void (*log)(void *ctx, const char *text);
    void *log_ctx;
} mp_solve_opts;

/** Fill opts with defaults. */
void mp_solve_opts_init(mp_solve_opts *opts);

/**
 * Build the response curves and the LP of a plan, and solve it.
 * An infeasible plan returns MP_OK with mp_solution_result() == MP_RESULT_INFEASIBLE.
 * @param opts NULL for defaults.
 * @return MP_OK (*out owns the solution); MP_ERR_INPUT for a NULL plan or out,
 *   or options out of range (a negative or non-finite time limit, an unknown
 *   method); MP_ERR_NOMEM; MP_ERR_SOLVER when the LP solver fails or the time
 *   limit runs out before any plan meeting every constraint was found (no
 *   solution then: *out is NULL).
 */
mp_status mp_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, mp_solution **out);

/** Write the LP mp_plan_solve() (default options) solves in the end in CPLEX LP
 * format (readable by `glpsol --lp`): it solves the plan to get it, so the
 * breakpoints the certified gap added and the right-hand sides the exact figures
 * moved (JSON lp_rhs) are in the file, and its optimum is the solution's LP
 * objective (JSON objective.lp) for a plan decided by the LP alone. A plan
 * without an optimum, or one the solver fails on, is written as built. */
mp_status mp_plan_write_lp(const mp_plan *plan, const char *path);
/** mp_plan_write_lp(), and the size of the LP written: its columns (curve
 * segments) in *cols and rows in *rows (either may be NULL; 0 on failure). */
mp_status mp_plan_export_lp(const mp_plan *plan, const char *path, size_t *cols, size_t *rows);
/** mp_plan_export_lp() with the solve's options (NULL for defaults), checked
 * as mp_plan_solve() checks them: the LP of the solve they make. A time limit
 * that runs out before any plan is found leaves the LP as built. */
mp_status mp_plan_export_lp_opts(const mp_plan *plan, const mp_solve_opts *opts, const char *path,
                                 size_t *cols, size_t *rows);

/** Free a solution. NULL is a no-op. */
void mp_solution_free(mp_solution *sol);

/** The outcome of the optimisation. */
mp_result mp_solution_result(const mp_solution *sol);

/** The objective value (in mp_solution_objective_unit()); NAN without a plan. */
double mp_solution_objective(const mp_solution *sol);
/** A certified bound on the exact model's optimum (the response curves
 * themselves, not their piecewise-linear approximation): no plan does better
 * than it (an upper bound when maximising, a lower bound when minimising).
 * NAN without a plan. */
double mp_solution_bound(const mp_solution *sol);
/** The certified optimality gap |bound - objective| / |bound| (a fraction):
 * the plan is within it of the exact optimum. NAN without a plan. */
double mp_solution_gap(const mp_solution *sol);
/** Number of warnings about what the plan cannot do, found while solving: a
 *  channel that serves neither the objective nor any constraint, an objective
 *  that is 0 at the optimum, a cost minimised with nothing to reach (0 for
 *  NULL). The plan's own warnings are mp_plan_warning(). */
size_t mp_solution_warning_count(const mp_solution *sol);
/** Warning i (0-based), owned by the solution; NULL when out of range. */
const char *mp_solution_warning(const mp_solution *sol, size_t i);
/** The objective's KPI as the JSON names it: "conversions", "revenue" ... when
 * maximising, "cost" or "co2" when minimising. */
const char *mp_solution_objective_kpi(const mp_solution *sol);
/** "max" or "min". */
const char *mp_solution_objective_sense(const mp_solution *sol);
/** The unit of the objective's value: "conversions", "EUR", "kg CO2e" ... */
const char *mp_solution_objective_unit(const mp_solution *sol);

/**
 * Why a plan is infeasible or unbounded, naming the constraints involved and
 * the amounts by which they would have to move; "" for an optimal plan, NULL
 * for a NULL solution.
 */
const char *mp_solution_explain(const mp_solution *sol);

/** Seconds spent building curves and LP, and in the solver. */
void mp_solution_timings(const mp_solution *sol, double *build_s, double *solve_s);

/** Size of the LP that was solved: columns (curve segments), rows, non-zeros. */
void mp_solution_lp_size(const mp_solution *sol, size_t *cols, size_t *rows, size_t *nonzeros);

/** Print the terminal summary (objective, KPIs, channels, binding constraints). */
mp_status mp_solution_print_summary(const mp_solution *sol, FILE *out);
/**
 * The terminal summary in a language, "en" or "fr" (the reader's: a command
 * line takes it from the locale); NULL: English. The library reads no
 * locale: two threads may print in two languages at once.
 * @return MP_OK; MP_ERR_INPUT for a NULL solution or stream or another code.
 */
mp_status mp_solution_print_summary_in(const mp_solution *sol, FILE *out, const char *lang);

/**
 * Write the JSON result to path. The file is written under a temporary name
 * in the target directory and renamed on success. Only a regular file is
 * replaced (a directory, device or FIFO at path is refused); a symlink is
 * followed and the file it points to replaced, the link kept; an existing
 * file keeps its permissions, a new one follows the umask.
 */
mp_status mp_solution_write_json(const mp_solution *sol, const char *path);
/** Write the JSON result to an open stream (standard output, a pipe). */
mp_status mp_solution_write_json_to(const mp_solution *sol, FILE *out);

/** Write the Excel workbook, atomically like mp_solution_write_json(). */
mp_status mp_solution_write_xlsx(const mp_solution *sol, const char *path);
/**
 * The names of the sheets a workbook of plan has, in its language (as
 * mp_plan_language()), joined by ", " into buf (cut to size bytes, always
 * terminated): a solved plan's sheets (Keywords and Groups only when a
 * channel reads keywords), then with scenarios non-zero the
 * what-if run's Scenarios sheet ("Summary, Plan, ..." or "Synthèse, Plan
 * média, ..."). MP_ERR_INPUT without a plan or buf, or with size 0.
 */
mp_status mp_workbook_sheet_names(const mp_plan *plan, int scenarios, char *buf, size_t size);

/* ---- Reading a solution ------------------------------------------------
 *
 * Every figure of the JSON result, by counts and indexed getters. Indexes are
 * 0-based. A NULL handle or an index out of range returns NAN for a number,
 * NULL for a string and 0 for a count, never a crash. Strings belong to the
 * solution (or what-if run) and live as long as it does. Money is in the
 * plan's currency (mp_solution_currency()); shares are fractions (0.25 for
 * 25 %). Figures of an infeasible or unbounded plan are NAN.
 */

/** Key performance indicators, as in the JSON's "kpis" objects. */
typedef enum mp_kpi {
    MP_KPI_SPEND = 0,   /**< currency */
    MP_KPI_IMPRESSIONS, /**< impressions (contacts for offline media) */
    MP_KPI_CLICKS,      /**< clicks */
    MP_KPI_CONVERSIONS, /**< conversions */
    MP_KPI_REVENUE,     /**< currency */
    MP_KPI_GRP,         /**< gross rating points */
    MP_KPI_REACH,       /**< people (a channel's reach; totals add channels up) */
    MP_KPI_CO2,         /**< kg CO2e */
    MP_KPI_COUNT
} mp_kpi;

/** The JSON name of a KPI ("spend", "conversions", "co2" ...); NULL out of range. */
const char *mp_kpi_name(mp_kpi kpi);
/** The name of a result as the JSON writes it ("optimal", "infeasible" ...); NULL out of range. */
const char *mp_result_name(mp_result result);

/** The plan's currency code ("EUR"). */
const char *mp_solution_currency(const mp_solution *sol);
/** Total of a KPI over the plan. */
double mp_solution_kpi(const mp_solution *sol, mp_kpi kpi);
/** People reached by the whole plan with independent duplication across
 * channels; NAN without a universe. */
double mp_solution_reach_dedup(const mp_solution *sol);

/** Media families reported (the registry's, then "digital" and "offline"). */
size_t mp_media_count(void);
/** Name of media family m ("search", ..., "digital", "offline"); NULL out of range. */
const char *mp_media_name(size_t m);
/** Spend on a media family (a name of mp_media_name()); NAN for an unknown name. */
double mp_solution_media_spend(const mp_solution *sol, const char *media);

/** Channels, in plan file order. */
size_t mp_solution_channel_count(const mp_solution *sol);
const char *mp_solution_channel_name(const mp_solution *sol, size_t c);
/** The channel's media type ("search", "tv" ...). */
const char *mp_solution_channel_type(const mp_solution *sol, size_t c);
/** 1 for digital media, 0 for offline, -1 out of range. */
int mp_solution_channel_digital(const mp_solution *sol, size_t c);
double mp_solution_channel_spend(const mp_solution *sol, size_t c);
/** Share of the plan's total spend (a fraction). */
double mp_solution_channel_share(const mp_solution *sol, size_t c);
double mp_solution_channel_kpi(const mp_solution *sol, size_t c, mp_kpi kpi);
/** What one more unit of currency on the channel brings at the margin, in
 * the objective's KPI when maximising (conversions per EUR for max
 * conversions) and in conversions when minimising cost or CO2e; NAN when the
 * channel is saturated. */
double mp_solution_channel_marginal(const mp_solution *sol, size_t c);

/** Periods (weeks or months) of the plan. */
size_t mp_solution_period_count(const mp_solution *sol);
/** First day of period t as "YYYY-MM-DD" into buf (at least 11 bytes). */
mp_status mp_solution_period_start(const mp_solution *sol, size_t t, char *buf, size_t n);
/** A KPI of channel c in period t; reach is NAN (a campaign figure). */
double mp_solution_period_kpi(const mp_solution *sol, size_t c, size_t t, mp_kpi kpi);

/** Figures of a keyword row (search channels), as in the JSON's "keywords". */
typedef enum mp_keyword_field {
    MP_KW_MONTHLY_SEARCHES = 0, /**< average monthly searches of the export */
    MP_KW_BID_LOW,              /**< top-of-page bid, low range (currency) */
    MP_KW_BID_HIGH,             /**< top-of-page bid, high range (currency) */
    MP_KW_COMPETITION,          /**< competition index 0..100; NAN unknown */
    MP_KW_BID,                  /**< the plan's bid, spend-weighted over periods */
    MP_KW_SPEND,
    MP_KW_IMPRESSIONS,
    MP_KW_CLICKS,
    MP_KW_CONVERSIONS,
    MP_KW_REVENUE,
    MP_KW_BUCKETED_VOLUME, /**< 1 when the export rounded the volume, else 0 */
    MP_KW_DEFAULT_BIDS     /**< 1 when the row had no bids and took the channel's */
} mp_keyword_field;
size_t mp_solution_keyword_count(const mp_solution *sol);
const char *mp_solution_keyword_text(const mp_solution *sol, size_t k);
/** The keyword's channel name. */
const char *mp_solution_keyword_channel(const mp_solution *sol, size_t k);
/** Its keyword group; "" when none. */
const char *mp_solution_keyword_group(const mp_solution *sol, size_t k);
double mp_solution_keyword_value(const mp_solution *sol, size_t k, mp_keyword_field f);

/** Keyword groups per search channel, as in the JSON's "groups". */
typedef enum mp_group_field {
    MP_GROUP_KEYWORDS = 0, /**< keywords in the group */
    MP_GROUP_SPEND,
    MP_GROUP_CLICKS,
    MP_GROUP_CONVERSIONS,
    MP_GROUP_REVENUE,
    MP_GROUP_CPA /**< spend per conversion; NAN without conversions */
} mp_group_field;
size_t mp_solution_group_count(const mp_solution *sol);
const char *mp_solution_group_channel(const mp_solution *sol, size_t g);
/** The group's name; "" for keywords no rule matched. */
const char *mp_solution_group_name(const mp_solution *sol, size_t g);
double mp_solution_group_value(const mp_solution *sol, size_t g, mp_group_field f);

/** Constraints (the plan's and the implicit ones: budget, periods, channel
 * limits), as in the JSON's "constraints". */
size_t mp_solution_constraint_count(const mp_solution *sol);
const char *mp_solution_constraint_name(const mp_solution *sol, size_t i);
/** Its expression ("share(tv, radio) >= 30%"). */
const char *mp_solution_constraint_expr(const mp_solution *sol, size_t i);
/** "<=", ">=" or "=". */
const char *mp_solution_constraint_op(const mp_solution *sol, size_t i);
/** The constrained measure at the plan (currency, fraction, KPI unit ...). */
double mp_solution_constraint_value(const mp_solution *sol, size_t i);
double mp_solution_constraint_bound(const mp_solution *sol, size_t i);
/** 1 when the constraint binds, 0 when not, -1 out of range. */
int mp_solution_constraint_binding(const mp_solution *sol, size_t i);
/** The row's dual: objective change per unit of its right-hand side. */
double mp_solution_constraint_dual(const mp_solution *sol, size_t i);

/**
 * Read a Keyword Planner export (UTF-16 or UTF-8, tab, comma or semicolon,
 * English or French interface), sort its keywords with a rules file (NULL:
 * none) and print each keyword with its group, then the figures per group.
 * unmatched_only: list only the keywords no group matched. The rows the
 * export skipped are written to warnings as "warning: ..." lines (NULL: not
 * written).
 */
mp_status mp_keywords_report(const char *export_path, const char *rules_path, int unmatched_only,
                             FILE *out, FILE *warnings);

/** A what-if run: the plan re-solved while one or two parameters vary. */
typedef struct mp_whatif mp_whatif;

/** Options of a what-if run; fill with mp_whatif_opts_init(). */
typedef struct mp_whatif_opts {
    mp_solve_opts solve;
    int cold; /**< 1: solve every scenario from scratch (checks, benchmarks); 0: warm starts */
    /** Called after each scenario with the count done and the total; may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} mp_whatif_opts;

void mp_whatif_opts_init(mp_whatif_opts *opts);

/**
 * Solve the plan as written (the base) and every scenario of a grid of one or
 * two axes. Each axis is "NAME=VALUES": NAME is inflation, inflation:<channel
 * or media type>, budget, cpm:|cpp:|cpc:|cpi:<channel or media type> (a change
 * of that unit cost) or constraint:<name> (its bound); VALUES a range
 * "from..to/step" or a list "a,b,c", with the units of the plan file.
 * Infeasible scenarios are results, not errors. The run borrows the plan:
 * free the run first. Options are checked as mp_plan_solve() checks them.
 */
mp_status mp_whatif_run(const mp_plan *plan, const char *const *axes, size_t naxes,
                        const mp_whatif_opts *opts, mp_whatif **out);
void mp_whatif_free(mp_whatif *w);
size_t mp_whatif_count(const mp_whatif *w);
mp_result mp_whatif_scenario_result(const mp_whatif *w, size_t i);
/** Objective of scenario i; NAN when it has no plan. */
double mp_whatif_scenario_objective(const mp_whatif *w, size_t i);
/** Seconds spent solving the scenarios (the base excluded). */
double mp_whatif_sweep_seconds(const mp_whatif *w);
/** The base plan's solution (owned by the run). */
const mp_solution *mp_whatif_base(const mp_whatif *w);
/** Number of the run's own warnings (0 for NULL): values of its axes that the
 *  plan file would warn about, as "--vary SPEC: message" (an inflation or a
 *  resulting CPM or cost per GRP outside its typical range, a reach bound in
 *  people that is most often a share misspelt). The plan's and the base
 *  plan's warnings are mp_plan_warning() and mp_solution_warning() of
 *  mp_whatif_base(). */
size_t mp_whatif_warning_count(const mp_whatif *w);
/** Warning i (0-based), owned by the run; NULL when out of range. */
const char *mp_whatif_warning(const mp_whatif *w, size_t i);
/** Axes of the run (1 or 2). */
size_t mp_whatif_axis_count(const mp_whatif *w);
/** Axis a's name as given ("inflation", "budget", "cpm:meta" ...). */
const char *mp_whatif_axis_name(const mp_whatif *w, size_t a);
/** Values of axis a, in the order the scenarios take them. */
size_t mp_whatif_axis_value_count(const mp_whatif *w, size_t a);
double mp_whatif_axis_value(const mp_whatif *w, size_t a, size_t i);
/** 1 when axis a's values are rates or changes (fractions: 0.1 for 10 %), 0 when not, -1 out
 * of range. */
int mp_whatif_axis_is_rate(const mp_whatif *w, size_t a);
/** Value of axis a in scenario i (the unit of the plan file, rates as fractions). */
double mp_whatif_scenario_param(const mp_whatif *w, size_t i, size_t a);
/** Why scenario i has no plan; "" when it has one, NULL out of range. */
const char *mp_whatif_scenario_explain(const mp_whatif *w, size_t i);
/** Total of a KPI in scenario i; NAN when it has no plan. */
double mp_whatif_scenario_kpi(const mp_whatif *w, size_t i, mp_kpi kpi);
/** Spend of channel c (mp_solution_channel_name(mp_whatif_base(w), c)) in scenario i. */
double mp_whatif_scenario_channel_spend(const mp_whatif *w, size_t i, size_t c);
/** Spend on a media family (mp_media_name()) in scenario i. */
double mp_whatif_scenario_media_spend(const mp_whatif *w, size_t i, const char *media);
/** Max plans: objective per unit of currency of budget at the margin; min plans: the cost
 * of one more unit of the binding KPI target; NAN when not known. */
double mp_whatif_scenario_marginal(const mp_whatif *w, size_t i);
mp_status mp_whatif_print_summary(const mp_whatif *w, FILE *out);
/** mp_whatif_print_summary() in a language, as mp_solution_print_summary_in(). */
mp_status mp_whatif_print_summary_in(const mp_whatif *w, FILE *out, const char *lang);
/** JSON: {"base": <the optimize result>, "axes": [...], "scenarios": [...]}. */
mp_status mp_whatif_write_json(const mp_whatif *w, const char *path);
mp_status mp_whatif_write_json_to(const mp_whatif *w, FILE *out);
/** The base plan's workbook plus a Scenarios sheet. */
mp_status mp_whatif_write_xlsx(const mp_whatif *w, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* MIXPLAN_H */
