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
 * A solution keeps a pointer to its plan: free the solution before the plan.
 *
 * Errors: each call returns an ::mp_status. On failure, mp_last_error() gives a
 * one-line message naming the file, line and key where that applies
 * (`brief.ini:14: cpm: expected a positive number, got "7,5O"`).
 * An infeasible plan is a result (see mp_solution_result()), not an error.
 */
#ifndef MIXPLAN_H
#define MIXPLAN_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MP_VERSION "0.1.0"

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

/** Exit codes of the `mixplan` command. */
enum {
    MP_EXIT_OK = 0,         /**< A plan was found. */
    MP_EXIT_INFEASIBLE = 1, /**< Infeasible or unbounded, with an explanation. */
    MP_EXIT_USAGE = 2,      /**< Bad command line. */
    MP_EXIT_INPUT = 3,      /**< Bad input file or value. */
    MP_EXIT_IO = 4          /**< I/O or internal error. */
};

/** A short description of a status code; never NULL. */
const char *mp_strerror(mp_status status);

/** The detailed message of the last failed call in this thread; "" if none. */
const char *mp_last_error(void);

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

/** Free a plan and everything it owns. NULL is a no-op. */
void mp_plan_free(mp_plan *plan);

/** Number of warnings gathered while loading (bucketed volumes, envelopes...). */
size_t mp_plan_warning_count(const mp_plan *plan);
/** Warning i (0-based), as "file:line: message"; NULL when out of range. */
const char *mp_plan_warning(const mp_plan *plan, size_t i);

/** How the LP is solved. */
typedef enum mp_method {
    MP_METHOD_AUTO = 0, /**< direct below 50,000 segments, else from a coarser LP's duals */
    MP_METHOD_DIRECT,   /**< GLPK's dual simplex on the whole LP */
    MP_METHOD_NEAR      /**< from the duals of an 8x coarser LP, GLPK on the segments in question */
} mp_method;

/** Number of notes gathered while loading (rows read and skipped, groups). */
size_t mp_plan_note_count(const mp_plan *plan);
/** Note i (0-based); NULL when out of range. */
const char *mp_plan_note(const mp_plan *plan, size_t i);

/** Solver options; fill with mp_solve_opts_init() before changing fields. */
typedef struct mp_solve_opts {
    double time_limit_s; /**< 0: no limit. */
    int verbose;         /**< 1: let the LP solver print its log on stderr. */
    mp_method method;    /**< how to solve; the answer is the same optimum */
} mp_solve_opts;

/** Fill opts with defaults. */
void mp_solve_opts_init(mp_solve_opts *opts);

/**
 * Build the response curves and the LP of a plan, and solve it.
 * An infeasible plan returns MP_OK with mp_solution_result() == MP_RESULT_INFEASIBLE.
 * @param opts NULL for defaults.
 */
mp_status mp_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, mp_solution **out);

/** Write the plan's LP in CPLEX LP format (readable by `glpsol --lp`). */
mp_status mp_plan_write_lp(const mp_plan *plan, const char *path);

/** Free a solution. NULL is a no-op. */
void mp_solution_free(mp_solution *sol);

/** The outcome of the optimisation. */
mp_result mp_solution_result(const mp_solution *sol);

/** The objective value (in the objective KPI's unit). */
double mp_solution_objective(const mp_solution *sol);

/**
 * Why a plan is infeasible or unbounded, naming the constraints involved and
 * the amounts by which they would have to move; "" for an optimal plan.
 */
const char *mp_solution_explain(const mp_solution *sol);

/** Seconds spent building curves and LP, and in the solver. */
void mp_solution_timings(const mp_solution *sol, double *build_s, double *solve_s);

/** Size of the LP that was solved: columns (curve segments), rows, non-zeros. */
void mp_solution_lp_size(const mp_solution *sol, size_t *cols, size_t *rows, size_t *nonzeros);

/** Print the terminal summary (objective, KPIs, channels, binding constraints). */
mp_status mp_solution_print_summary(const mp_solution *sol, FILE *out);

/**
 * Write the JSON result to path ("-" for standard output). The file is written
 * under a temporary name in the target directory and renamed on success.
 */
mp_status mp_solution_write_json(const mp_solution *sol, const char *path);

/** Write the Excel workbook, atomically like mp_solution_write_json(). */
mp_status mp_solution_write_xlsx(const mp_solution *sol, const char *path);

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
 * Infeasible scenarios are results, not errors.
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
mp_status mp_whatif_print_summary(const mp_whatif *w, FILE *out);
/** JSON: {"base": <the optimize result>, "axes": [...], "scenarios": [...]}. */
mp_status mp_whatif_write_json(const mp_whatif *w, const char *path);
/** The base plan's workbook plus a Scenarios sheet. */
mp_status mp_whatif_write_xlsx(const mp_whatif *w, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* MIXPLAN_H */
