/* The solution: solving a plan (build the curves and the LP, solve, then turn
 * the LP's answer into a result), its public getters, and the LP export.
 * Fill order (fill_order.c), aggregation (aggregate.c) and the explanation
 * of infeasible plans (explain.c) are steps of mpi_solution_finish. */
#include "bound.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mp_solve_opts_init(mp_solve_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->log = NULL; /* a null pointer need not be all zero bits */
    opts->log_ctx = NULL;
}

const char *mpi_result_str(int result)
{
    switch (result) {
    case MP_RESULT_OPTIMAL: return N_("optimal");
    case MP_RESULT_INFEASIBLE: return N_("infeasible");
    case MP_RESULT_UNBOUNDED: return N_("unbounded");
    case MP_RESULT_TIME_LIMIT: return N_("time_limit");
    }
    return N_("unknown");
}

const char *mpi_kpi_unit(const mp_plan *plan, int q)
{
    return mpi_kpi_units[q][0] ? mpi_kpi_units[q] : plan->currency;
}

void mp_solution_free(mp_solution *sol)
{
    if (!sol)
        return;
    if (!sol->borrowed_model)
        mpi_model_free(&sol->model);
    mpi_scenario_free(sol->own_sc);
    free(sol->own_sc);
    free(sol->eff_box);
    mpi_lp_sol_free(&sol->lp);
    free(sol->explain);
    free(sol->relax_dual);
    free(sol->book_units);
    free(sol->book_airs);
    free(sol->bound_pi);
    mpi_rows_at_free(&sol->lp_rows);
    mpi_aggregate_clear(sol);
    free(sol->rows);
    mpi_report_free(sol->report);
    mpi_baseline_free(sol->baseline);
    mpi_quantiles_free(sol->quant);
    free(sol->risk);
    mpi_hold_out_free(sol->hold);
    free(sol->hold_tight);
    mpi_diag_free(&sol->diag);
    free(sol);
}

mp_result mp_solution_result(const mp_solution *sol)
{
    return sol ? (mp_result)sol->result : MP_RESULT_INFEASIBLE;
}

double mp_solution_objective(const mp_solution *sol)
{
    int plan = sol && (sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT);
    return plan ? sol->objective : NAN;
}

size_t mp_solution_warning_count(const mp_solution *sol)
{
    return sol ? sol->diag.warn.n : 0;
}

const char *mp_solution_warning(const mp_solution *sol, size_t i)
{
    return sol && i < sol->diag.warn.n ? sol->diag.warn.v[i] : NULL;
}

const char *mp_solution_explain(const mp_solution *sol)
{
    if (!sol)
        return NULL;
    return sol->explain ? sol->explain : "";
}

void mp_solution_timings(const mp_solution *sol, double *build_s, double *solve_s)
{
    if (build_s)
        *build_s = sol ? sol->build_s : NAN;
    if (solve_s)
        *solve_s = sol ? sol->solve_s : NAN;
}

void mp_solution_lp_size(const mp_solution *sol, size_t *cols, size_t *rows, size_t *nonzeros)
{
    if (cols)
        *cols = sol ? sol->model.lp.ncols : 0;
    if (rows)
        *rows = sol ? sol->model.lp.nrows : 0;
    if (nonzeros)
        *nonzeros = sol ? mpi_model_nnz(&sol->model) : 0;
}

/* 1 when plan x spends nothing at all. */
static int spends_nothing(const mpi_lp *lp, const double *x)
{
    for (size_t j = 0; j < lp->ncols; j++)
        if (x[j] != 0)
            return 0;
    return 1;
}

/* The time limit ran out (building the curves or solving). The dual simplex meets the rows
 * only at its end: the point it stopped at is a plan only if it already meets them; else
 * spending nothing is, when that meets every row (no floor, no outcome to reach), and the
 * plan says so. With neither, optimize fails; a what-if scenario is marked time_limit
 * without a plan and the run goes on. */
static mp_status time_limited_as(mp_solution *sol, const char *late)
{
    const mpi_lp *lp = &sol->model.lp;
    sol->result = MP_RESULT_TIME_LIMIT;
    if (!sol->lp.x)
        return mpi_fail(MP_ERR_INTERNAL, N_("%s: no point from the solver"), sol->plan->path);
    int hold = 0;
    mp_status st = mpi_model_rows_hold(&sol->model, sol->lp.x, &hold);
    if (st == MP_OK && !hold) {
        memset(sol->lp.x, 0, lp->ncols * sizeof(double));
        if (sol->lp.row_dual)
            memset(sol->lp.row_dual, 0, lp->nrows * sizeof(double));
        st = mpi_model_rows_hold(&sol->model, sol->lp.x, &hold);
    }
    if (st != MP_OK)
        return st;
    if (!hold) {
        if (!sol->light && !sol->planless_ok)
            return mpi_fail(MP_ERR_SOLVER, N_("%s: %s; allow more time (--time-limit)"),
                            sol->plan->path, late);
        sol->planless = 1;
        sol->explain = mpi_strdup(late);
        return sol->explain ? MP_OK : mpi_nomem();
    }
    if (!spends_nothing(lp, sol->lp.x))
        return MP_OK;
    sol->trivial = 1;
    return mpi_warn(&sol->diag,
                    N_("the time limit ran out before any plan but the trivial one was found: this "
                       "plan spends nothing, which meets every constraint; allow more time "
                       "(--time-limit)"));
}

static mp_status time_limited(mp_solution *sol)
{
    if (sol->model.cut)
        return time_limited_as(sol, mpi_tr(mpi_msg_lang(),
                                           "the time limit ran out while the response curves "
                                           "were being built, before there was any plan to "
                                           "solve"));
    return time_limited_as(sol, mpi_tr(mpi_msg_lang(), "the time limit ran out before a plan "
                                                       "meeting every constraint was found"));
}

/* A booked plan stopped by the time limit before any booked plan was found:
 * the relaxation's point is no booked plan, spending nothing is one when it
 * meets every row (as for any plan stopped so); else optimize fails (exit 4)
 * and a what-if scenario has no plan and says why. */
static mp_status no_booked_plan(mp_solution *sol)
{
    if (sol->lp.x)
        memset(sol->lp.x, 0, sol->model.lp.ncols * sizeof(double));
    return time_limited_as(sol, mpi_tr(mpi_msg_lang(),
                                       "the time limit ran out before any plan that can be "
                                       "booked was found (flights, min_grp, min_burst, whole "
                                       "spots or insertions)"));
}

/* The result the LP's status means; an infeasible plan is explained. */
static mp_status result_of_lp(mp_solution *sol, const mp_solve_opts *opts)
{
    if (mpi_booked_none(sol))
        return no_booked_plan(sol);
    if (sol->booked && sol->mip_status == MPI_LP_INFEASIBLE) {
        sol->result = MP_RESULT_INFEASIBLE;
        return mpi_explain_booked(sol, opts);
    }
    switch (sol->lp.status) {
    case MPI_LP_INFEASIBLE:
        sol->result = MP_RESULT_INFEASIBLE;
        return mpi_explain_infeasible(sol, opts);
    case MPI_LP_UNBOUNDED:
        sol->result = MP_RESULT_UNBOUNDED;
        sol->explain = mpi_strdup(mpi_tr(
            mpi_msg_lang(), "the objective is unbounded: a constraint or the budget is missing"));
        return sol->explain ? MP_OK : mpi_nomem();
    case MPI_LP_TIME_LIMIT: return time_limited(sol);
    }
    sol->result = MP_RESULT_OPTIMAL;
    return MP_OK;
}

static int has_plan(const mp_solution *sol)
{
    return (sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT) &&
           !sol->planless;
}

/* A plan that fills a curve out of order, which no real plan can do, is
 * refilled in order or re-solved so; that may leave no plan. */
static mp_status enforce_order(mp_solution *sol, const mp_solve_opts *opts)
{
    int in_order = 1;
    mp_status st = mpi_refill_in_order(&sol->model, sol->lp.x, &in_order, NULL);
    if (st != MP_OK || in_order)
        return st;
    st = mpi_solve_in_order(sol, opts);
    if (st == MP_OK && sol->lp.status == MPI_LP_INFEASIBLE) {
        sol->result = MP_RESULT_INFEASIBLE;
        sol->explain =
            mpi_strdup("no plan meets every constraint once each response curve is filled in order "
                       "(spending on a channel always brings the response of its first euros); an "
                       "outcome cap is below what a spend floor or the budget necessarily brings");
        st = sol->explain ? MP_OK : mpi_nomem();
    } else if (st == MP_OK && sol->lp.status == MPI_LP_TIME_LIMIT) {
        st = time_limited(sol);
    }
    return st;
}

/* One half of the walk of every segment for the LP's objective. */
typedef struct objective_half {
    const mp_solution *sol;
    size_t from, to;
    double sum;
} objective_half;

static void *objective_half_run(void *arg)
{
    objective_half *h = arg;
    const mpi_curve_list *cl = &h->sol->model.curves;
    const double *x = h->sol->lp.x;
    int q = h->sol->plan->obj_kpi;
    double sum = 0;
    for (size_t i = h->from; i < h->to; i++) {
        if (i + 2 < h->to)
            mpi_curve_prefetch(&cl->v[i + 2]);
        double carry = mpi_obj_carry(&h->sol->model, &cl->v[i]); /* over the money paid */
        for (int s = 0; s < cl->v[i].nseg; s++)
            sum += (mpi_curve_yield(&cl->v[i], s, q) + carry) * x[cl->v[i].col + (size_t)s];
    }
    h->sum = sum;
    return NULL;
}

/* The LP's objective at its spends (its chords), the curves in two halves
 * added in order. */
static double lp_objective(const mp_solution *sol)
{
    size_t n = sol->model.curves.n;
    objective_half h[2] = {{sol, 0, n / 2, 0}, {sol, n / 2, n, 0}};
    mpi_halves_run(n, objective_half_run, &h[0], &h[1]);
    return h[0].sum + h[1].sum + mpi_obj_shift(&sol->model);
}

/* The plan's objective, KPIs and rows, on the exact figures (ra: the rows
 * at the plan, when valid, evaluated once for all). */
static mp_status plan_figures(mp_solution *sol, const mp_solve_opts *opts, mpi_rows_at *ra)
{
    mp_status st = mpi_aggregate(sol);
    if (st == MP_OK)
        st = mpi_exact_rows(sol, opts, ra);
    /* The objective is the exact model's KPI total at the LP's spends, with the
     * response after the plan when it counts (adstock.c) (max reach in the
     * log form: the sum of the terms, as the LP's reach curves sum them, in
     * people after the shadow prices: mpi_solution_people). */
    if (st == MP_OK)
        sol->objective = mpi_objective_log(sol->plan)
                             ? sol->reach_log
                             : sol->kpi[sol->plan->obj_kpi] + sol->after_total[sol->plan->obj_kpi];
    if (st == MP_OK)
        sol->lp_objective = lp_objective(sol);
    if (st == MP_OK)
        st = mpi_fill_rows(sol, ra);
    return st;
}

int mpi_objective_log(const mp_plan *plan)
{
    return plan->obj_kpi == MPI_REACH && mpi_reach_log(plan);
}

void mpi_solution_people(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    if (!mpi_objective_log(plan))
        return;
    sol->objective = isnan(sol->objective) ? NAN : sol->kpi[MPI_REACH];
    sol->lp_objective = mpi_reach_people(plan, sol->lp_objective);
    sol->bound = mpi_reach_people(plan, sol->bound);
    sol->gap = mpi_gap_of(sol->bound, sol->objective);
}

mp_status mpi_solution_finish(mp_solution *sol, const mp_solve_opts *opts)
{
    mpi_rows_at own = {0}; /* the rows at the plan, from ties to the rows' report */
    /* spends in order and tied leave the refill and the ties pass nothing to
     * do: the rows the refinement's ties pass found at them still hold */
    int handed = sol->lp_tied && !sol->lp.mip && sol->lp_rows.valid;
    mpi_rows_at *ra = handed ? &sol->lp_rows : &own;
    ra->sum_on_move = 0;
    mp_status st = result_of_lp(sol, opts);
    /* tied spends are in order (lp_tied): the refill would leave them */
    if (st == MP_OK && has_plan(sol) && !(sol->lp_tied && !sol->lp.mip))
        st = enforce_order(sol, opts);
    if (st == MP_OK && has_plan(sol) && !sol->lp.mip && !sol->lp_tied)
        st = mpi_equal_ties(&sol->model, sol->lp.x, sol->lp.row_dual, ra);
    if (st == MP_OK && has_plan(sol))
        st = plan_figures(sol, opts, ra);
    mpi_rows_at_free(&own);
    sol->lp_rows.valid = 0;
    /* A plan the time limit left at spending nothing has no prices worth the
     * name, and its curves may stop where the limit cut them (build.c): no
     * bound is certified from it, and no row is priced. */
    if (st == MP_OK && has_plan(sol) && !sol->trivial)
        st = mpi_solution_bound(sol);
    if (st == MP_OK && has_plan(sol) && !sol->light && !sol->trivial)
        st = mpi_shadow_prices(sol);
    /* the time limit stopped the search for the plan best in the bad draws:
     * the plan stands (chosen for the average, or for the bad draws on
     * coarser curves), not proven the one asked for */
    if (st == MP_OK && sol->result == MP_RESULT_OPTIMAL &&
        (sol->draws_stopped || sol->refine_stopped))
        sol->result = MP_RESULT_TIME_LIMIT;
    return st;
}

mp_status mp_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, mp_solution **out)
{
    return mpi_plan_solve(plan, opts, MPI_SOLVE_RANGES, out);
}

/* The LP to its gap, then a booked plan's MIP from it (mip.c). */
static mp_status solve_plan(mp_solution *sol, const mp_solve_opts *opts)
{
    mp_status st = mpi_model_solve(&sol->model, opts, &sol->lp);
    if (st == MP_OK)
        st = mpi_refine_to_gap(sol, opts, NULL);
    if (st == MP_OK)
        st = mpi_solve_booked(sol, opts);
    if (st == MP_OK)
        st = mpi_solve_risk_refined(sol, opts, NULL);
    return st;
}

/* A risk plan's comparison with the mean-optimal plan, solved on its own. */
static mp_status risk_compare(mp_solution *sol, const mp_solve_opts *opts)
{
    if (!sol->risk)
        return MP_OK;
    mp_plan mean_plan = *sol->plan; /* read only, for the length of this call */
    mean_plan.risk = MPI_RISK_MEAN;
    mp_solution *ms = NULL;
    mp_status st = mpi_plan_solve(&mean_plan, opts, MPI_SOLVE_PLANLESS, &ms);
    /* the time limit stopped it before any plan: the risk plan stands, and
     * says that it has nothing to compare with */
    if (st == MP_OK)
        sol->risk->mean_stopped = ms->planless;
    if (st == MP_OK)
        st = mpi_risk_report(sol, ms->result == MP_RESULT_INFEASIBLE || ms->planless ? NULL : ms);
    mp_solution_free(ms);
    return st;
}

/* The plan's outcomes over the draws, and a risk plan's comparison. */
static mp_status draws_figures(mp_solution *sol, const mp_solve_opts *opts)
{
    mp_status st = mpi_draws_quantiles(sol);
    if (st == MP_OK)
        st = mpi_hold_report(sol);
    return st == MP_OK ? risk_compare(sol, opts) : st;
}

/* The plan solved on its model, its figures and their outcomes over the
 * draws (max effective_reach's most first: effective_obj.c), timed. */
static mp_status solve_steps(mp_solution *sol, const mp_solve_opts *opts)
{
    double t0 = now_s();
    mp_status st = mpi_effective_objective(sol, opts);
    if (st == MP_OK)
        st = solve_plan(sol, opts);
    if (st == MP_OK)
        st = mpi_solution_finish(sol, opts);
    if (st == MP_OK)
        mpi_solution_people(sol);
    if (st == MP_OK && has_plan(sol))
        mpi_effective_objective_figures(sol);
    if (st == MP_OK && has_plan(sol)) /* the plan's outcomes over the draws */
        st = draws_figures(sol, opts);
    if (st == MP_OK && has_plan(sol))
        st = mpi_hold_stopped_check(sol);
    sol->solve_s = now_s() - t0;
    return st;
}

mp_status mpi_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, int flags,
                         mp_solution **out)
{
    mpi_clear_error();
    if (!plan || !out)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_solve: no plan or no place for the solution"));
    *out = NULL;
    if (opts && (!(opts->time_limit_s >= 0) || !isfinite(opts->time_limit_s)))
        return mpi_fail(MP_ERR_INPUT,
                        N_("time limit %g s: expected a number of seconds, 0 or more"),
                        opts->time_limit_s);
    if (opts && (opts->method < MP_METHOD_AUTO || opts->method > MP_METHOD_NEAR))
        return mpi_fail(MP_ERR_INPUT, N_("unknown solving method %d"), (int)opts->method);
    mp_solution *sol = mpi_calloc(1, sizeof *sol);
    if (!sol)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    sol->plan = plan;
    sol->planless_ok = (flags & MPI_SOLVE_PLANLESS) != 0;
    sol->reach_dedup = NAN;
    sol->bound = sol->gap = NAN;
    double t0 = now_s();
    mpi_solve_deadline(opts ? opts->time_limit_s : 0); /* the limit covers building the curves */
    mp_status st = mpi_model_build(plan, NULL, &sol->model);
    sol->build_s = now_s() - t0;
    if (st != MP_OK) {
        mpi_solve_deadline(0);
        mp_solution_free(sol);
        return st;
    }
    char *why = NULL;
    st = mpi_explain_minimums(plan, plan->budget, &why);
    if (st == MP_OK && why) {
        sol->result = MP_RESULT_INFEASIBLE;
        sol->explain = why;
    } else if (st == MP_OK) {
        st = solve_steps(sol, opts);
    }
    mpi_solve_deadline(0);
    if (st == MP_OK && sol->planless) { /* MPI_SOLVE_PLANLESS: nothing more to say of it */
        *out = sol;
        return MP_OK;
    }
    if (st == MP_OK) /* the planner's current plan, on the same curves */
        st = mpi_baseline_eval(sol);
    if (st == MP_OK && !sol->trivial) /* what the plan cannot do is not known from it */
        st = mpi_solution_advise(sol);
    if (st == MP_OK && (flags & MPI_SOLVE_RANGES) &&
        !plan->obj_eff) /* its rows' prices are not the objective's */
        st = mpi_range_rows(sol, opts);
    if (st == MP_OK)
        st = mpi_report_build(sol, &sol->report);
    if (st != MP_OK) {
        mp_solution_free(sol);
        return st;
    }
    *out = sol;
    return MP_OK;
}

static void col_namer(const void *ctx, size_t j, char *buf, size_t n)
{
    mpi_model_col_name(ctx, j, buf, n);
}

/* The LP as built, for glpsol to say what is wrong with it: a plan the solve
 * failed on (the solver's numerical trouble). */
static mp_status built_lp(const mp_plan *plan, mp_solution **out)
{
    mp_solution *sol = mpi_calloc(1, sizeof *sol);
    if (!sol)
        return mpi_nomem();
    sol->plan = plan;
    mp_status st = mpi_model_build(plan, NULL, &sol->model);
    if (st != MP_OK) {
        mp_solution_free(sol);
        return st;
    }
    *out = sol;
    return MP_OK;
}

/* The LP optimize solves in the end, from the same solve as optimize's: the
 * plan's, with the breakpoints the certified gap asked for (refine.c) and the
 * right-hand sides the exact figures moved (exact_rows.c), so that glpsol on
 * the file finds the optimum optimize reports (JSON objective.lp) with the
 * rows where optimize has them. An LP without an optimum is left as built. */
static mp_status final_lp(const mp_plan *plan, const mp_solve_opts *opts, mp_solution **out)
{
    mp_status st = mpi_plan_solve(plan, opts, 0, out);
    if (st != MP_ERR_SOLVER)
        return st;
    mpi_clear_error();
    return built_lp(plan, out);
}

mp_status mp_plan_write_lp(const mp_plan *plan, const char *path)
{
    mpi_clear_error();
    if (!plan || !path)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_write_lp: no plan or no path given"));
    return mp_plan_export_lp(plan, path, NULL, NULL);
}

mp_status mp_plan_export_lp(const mp_plan *plan, const char *path, size_t *cols, size_t *rows)
{
    return mp_plan_export_lp_opts(plan, NULL, path, cols, rows);
}

mp_status mp_plan_export_lp_opts(const mp_plan *plan, const mp_solve_opts *opts, const char *path,
                                 size_t *cols, size_t *rows)
{
    mpi_clear_error();
    if (cols)
        *cols = 0;
    if (rows)
        *rows = 0;
    if (!plan || !path)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_export_lp: no plan or no path given"));
    mp_solution *sol = NULL;
    mp_status st = final_lp(plan, opts, &sol);
    if (st == MP_OK) {
        mpi_atomic a;
        mpi_lp lp;
        double c0 = mpi_obj_shift(&sol->model); /* the adstock carried in (carryover) */
        st = mpi_model_explicit(&sol->model, &lp);
        if (st == MP_OK && (st = mpi_atomic_begin(path, "LP", &a)) == MP_OK) {
            st = mpi_glpk_write_lp(&lp, c0, col_namer, &sol->model, a.tmp, path);
            mp_status st2 = mpi_atomic_end(&a, path, st == MP_OK);
            if (st == MP_OK)
                st = st2;
        }
        if (st == MP_OK && cols)
            *cols = lp.ncols + (c0 != 0);
        if (st == MP_OK && rows)
            *rows = lp.nrows;
        mpi_lp_free(&lp);
    }
    mp_solution_free(sol);
    return st;
}
