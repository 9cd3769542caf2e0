/* max effective_reach(channel): the most people the channel reaches at
 * least k times (effective.c).
 *
 * A channel's effective reach E is a function of its campaign impressions I
 * alone, non-decreasing in them (checked on a grid as the plan is read:
 * mpi_effective_falls), so max E is max I, a linear objective: the explicit
 * LP (the booked MIP for a booked plan) with the objective row "objective"
 * (effective_reach(channel) >= 0, its channel's impressions) as objective
 * gives the most impressions I* any plan of the LP buys. The plan is then
 * solved as any other with that row's bound at E(I* (1 - 1e-7)) (a hair
 * under, for the solvers' tolerances), as a scenario of the plan (sol->sc):
 * among the plans that reach it, the one reaching the most people
 * (obj_kpi, reach). The objective reported is E at the plan's spends; its
 * bound E(I*), what no plan of the LP passes. */
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The row of m's LP that holds constraint i, or (size_t)-1. */
static size_t constraint_row(const mpi_model *m, size_t i)
{
    for (size_t r = 0; r < m->lp.nrows; r++)
        if (m->lp.rows[r].kind == MPI_ROW_CONSTRAINT && m->lp.rows[r].ref == (int)i)
            return r;
    return (size_t)-1;
}

/* lp's objective: row r's terms, maximised. */
static void row_objective(mpi_lp *lp, size_t r)
{
    memset(lp->obj, 0, lp->ncols * sizeof *lp->obj);
    lp->sense = 1;
    const mpi_row *row = &lp->rows[r];
    for (size_t i = row->start; i < row->start + row->len; i++)
        lp->obj[lp->ind[i]] += lp->val[i];
}

/* The most row r's terms reach over the explicit LP (the booked MIP for a
 * booked plan): *most, NAN when no plan meets the rows; GLPK's nodes. */
static mp_status most_of_row(const mpi_model *m, const mp_solve_opts *opts, size_t r, double *most,
                             long *nodes)
{
    const mp_plan *plan = m->plan;
    size_t ncols = 3 * plan->nch * (size_t)plan->periods;
    size_t *cols = mpi_plan_booked(plan) ? mpi_malloc((ncols ? ncols : 1) * sizeof *cols) : NULL;
    mpi_lp lp;
    mpi_lp_sol ms;
    memset(&ms, 0, sizeof ms);
    mp_status st = mpi_plan_booked(plan) && !cols ? mpi_nomem()
                   : cols                         ? mpi_model_booked(m, cols, &lp)
                                                  : mpi_model_explicit(m, &lp);
    free(cols);
    if (st != MP_OK)
        return st;
    row_objective(&lp, r);
    st = mpi_glpk_solve(&lp, opts, &ms);
    mpi_lp_free(&lp);
    *most = NAN;
    *nodes = ms.mip_nodes;
    if (st == MP_OK && !mpi_lp_sol_pointless(&ms) &&
        (ms.status == MPI_LP_OPTIMAL || ms.status == MPI_LP_TIME_LIMIT))
        *most = ms.obj - mpi_row_rhs_shift(m, r);
    mpi_lp_sol_free(&ms);
    return st;
}

mp_status mpi_effective_objective(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    sol->eff_most = NAN;
    if (!plan->obj_eff)
        return MP_OK;
    size_t r = constraint_row(&sol->model, plan->obj_eff_cons);
    if (r == (size_t)-1)
        return MP_OK;
    double imp;
    mp_status st = most_of_row(&sol->model, opts, r, &imp, &sol->eff_nodes);
    if (st != MP_OK || isnan(imp)) /* no plan: the solve says so */
        return st;
    const mpi_expr *e = &plan->cons[plan->obj_eff_cons].e;
    sol->eff_most = mpi_effective_at(plan, e->eff_ch, e->eff_k, imp);
    mpi_scenario *sc = mpi_calloc(1, sizeof *sc);
    if (!sc || (st = mpi_scenario_init(sc, plan)) != MP_OK) {
        free(sc);
        return sc ? st : mpi_nomem();
    }
    sc->bound[plan->obj_eff_cons] = mpi_effective_at(plan, e->eff_ch, e->eff_k, imp * (1 - 1e-7));
    sol->own_sc = sc;
    sol->sc = sc;
    return mpi_model_lp_update(&sol->model, sc);
}

void mpi_effective_objective_figures(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    if (!plan->obj_eff || isnan(sol->objective))
        return;
    const mpi_expr *e = &plan->cons[plan->obj_eff_cons].e;
    sol->objective = mpi_effective_row(sol, e);
    sol->bound = sol->eff_most;
    sol->gap = sol->bound > 0 ? fabs(sol->bound - sol->objective) / sol->bound : NAN;
    for (size_t r = 0; sol->rows && r < sol->model.lp.nrows; r++)
        sol->rows[r].shadow = sol->rows[r].price = NAN;
}
