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
 * bound E(I*), what no plan of the LP passes.
 *
 * Over two or three channels (max effective_reach(tv, meta)) the people
 * reached k times together are held by a grid of the booked MIP (mip.c): the
 * highest floor a plan meets on that grid, spanning what each channel can
 * buy, by bisection over floors (each a feasibility MIP), then on grids
 * refined around the plan meeting it (effective_grid.c), is the plan's; a
 * plan whose channels buy between levels
 * reaches at most what the corner a level up in every channel reaches, so
 * the bisection over corners judged a level up gives a floor no plan meets:
 * the bound. */
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether some plan of the booked MIP meets the grid of the objective's row
 * at floor x, the grid on boxes box (mpi_model eff_box; shift: judged a
 * level up, mip.c), the row's bound set to x in sc; branch and cut's nodes
 * added to *nodes. With keep, a plan that meets it replaces *keep's. */
static mp_status grid_meets(mp_solution *sol, const mp_solve_opts *opts, mpi_scenario *sc, double x,
                            int shift, const double *box, int *ok, double **keep)
{
    const mp_plan *plan = sol->plan;
    size_t ncols = 3 * plan->nch * (size_t)plan->periods;
    sc->bound[plan->obj_eff_cons] = x;
    mp_status st = mpi_model_lp_update(&sol->model, sc);
    size_t *cols = st == MP_OK ? mpi_malloc((ncols ? ncols : 1) * sizeof *cols) : NULL;
    mpi_lp lp;
    mpi_lp_sol ms;
    memset(&ms, 0, sizeof ms);
    sol->model.eff_shift = shift;
    sol->model.eff_box = box;
    if (st == MP_OK)
        st = cols ? mpi_model_booked(&sol->model, cols, &lp) : mpi_nomem();
    sol->model.eff_shift = 0;
    sol->model.eff_box = NULL;
    free(cols);
    if (st != MP_OK)
        return st;
    memset(lp.obj, 0, lp.ncols * sizeof *lp.obj); /* any plan will do */
    st = mpi_glpk_solve(&lp, opts, &ms);
    mpi_lp_free(&lp);
    *ok = st == MP_OK && !mpi_lp_sol_pointless(&ms) && ms.status == MPI_LP_OPTIMAL;
    sol->eff_nodes += ms.mip_nodes;
    if (*ok && keep) {
        free(*keep);
        *keep = ms.x;
        ms.x = NULL;
    }
    mpi_lp_sol_free(&ms);
    return st;
}

/* The highest floor the grid on boxes box meets, by bisection to 0.01 % of
 * the universe from *lo (met) and *hi (not): *lo met, *hi not (shift: an
 * upper bound on every plan's); keep as grid_meets's. */
static mp_status grid_most(mp_solution *sol, const mp_solve_opts *opts, mpi_scenario *sc, int shift,
                           const double *box, double *lo, double *hi, double **keep)
{
    double u = sol->plan->universe;
    mp_status st = MP_OK;
    while (st == MP_OK && *hi - *lo > 1e-4 * u) {
        double mid = 0.5 * (*lo + *hi);
        int ok = 0;
        st = grid_meets(sol, opts, sc, mid, shift, box, &ok, keep);
        *(ok ? lo : hi) = mid;
    }
    return st;
}

/* The highest floor above *lo (met) the grid on boxes box meets, at most
 * cap: steps up from *lo doubling while met (what a finer grid gains is
 * mostly a few steps), then bisection below the first floor not met. */
static mp_status grid_climb(mp_solution *sol, const mp_solve_opts *opts, mpi_scenario *sc,
                            const double *box, double cap, double *lo, double **keep)
{
    double step = 1e-4 * sol->plan->universe, hi = cap;
    int ok = 1;
    mp_status st = MP_OK;
    while (st == MP_OK && ok && *lo + step < cap) {
        double at = *lo + step;
        st = grid_meets(sol, opts, sc, at, 0, box, &ok, keep);
        *(ok ? lo : &hi) = at;
        step *= 2;
    }
    return st == MP_OK ? grid_most(sol, opts, sc, 0, box, lo, &hi, keep) : st;
}

/* Over several channels: the highest floor met on the grid spanning what
 * the channels can buy (effective_grid.c), then on grids refined around the
 * plan meeting it while that gains, each floor at least the last's (the
 * plan's corner is on the finer grid); the plan solved at it on the last
 * grid (sol->eff_box). Its bound the lowest floor no corner a level up
 * meets on the first grid, which holds every plan. */
static mp_status most_of_grid(mp_solution *sol, const mp_solve_opts *opts, mpi_scenario *sc)
{
    double u = sol->plan->universe, lo = 0, hi = u * (1 + 1e-9), blo = 0, bhi = hi, was = -1;
    double *x = NULL, *box = NULL;
    sol->eff_nodes = 0;
    mp_status st = mpi_eff_boxes(&sol->model, opts, &box);
    if (st == MP_OK)
        st = grid_most(sol, opts, sc, 1, box, &blo, &bhi, NULL);
    if (st == MP_OK)
        st = grid_most(sol, opts, sc, 0, box, &lo, &hi, &x);
    for (int k = 0; st == MP_OK && x && lo > was && k < MPI_EFF_ROUNDS; k++) {
        was = lo;
        st = mpi_eff_narrow(&sol->model, x, box);
        if (st == MP_OK)
            st = grid_climb(sol, opts, sc, box,
                            fmin(bhi, mpi_eff_box_top(sol->plan, sol->plan->obj_eff_cons, box)),
                            &lo, &x);
    }
    free(x);
    if (st != MP_OK) {
        free(box);
        return st;
    }
    free(sol->eff_box);
    sol->eff_box = box;
    sol->eff_most = bhi;
    sc->bound[sol->plan->obj_eff_cons] = lo;
    return MP_OK;
}

/* The scenario the solution solves: the plan's, its objective row's bound
 * to be set. */
static mp_status own_scenario(mp_solution *sol, mpi_scenario **out)
{
    mpi_scenario *sc = mpi_calloc(1, sizeof *sc);
    mp_status st = sc ? mpi_scenario_init(sc, sol->plan) : mpi_nomem();
    if (st != MP_OK) {
        free(sc);
        return st;
    }
    sol->own_sc = sc;
    sol->sc = sc;
    *out = sc;
    return MP_OK;
}

mp_status mpi_effective_objective(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    sol->eff_most = NAN;
    if (!plan->obj_eff)
        return MP_OK;
    const mpi_expr *e = &plan->cons[plan->obj_eff_cons].e;
    size_t r = mpi_constraint_row(&sol->model.lp, plan->obj_eff_cons);
    if (r == (size_t)-1)
        return MP_OK;
    mpi_scenario *sc;
    double imp = NAN;
    mp_status st = e->eff_multi ? MP_OK : most_of_row(&sol->model, opts, r, &imp, &sol->eff_nodes);
    if (st != MP_OK || (!e->eff_multi && isnan(imp))) /* no plan: the solve says so */
        return st;
    if ((st = own_scenario(sol, &sc)) != MP_OK)
        return st;
    if (e->eff_multi)
        st = most_of_grid(sol, opts, sc);
    else {
        sol->eff_most = mpi_effective_at(plan, e->eff_ch, e->eff_k, imp);
        sc->bound[plan->obj_eff_cons] =
            mpi_effective_at(plan, e->eff_ch, e->eff_k, imp * (1 - 1e-7));
    }
    return st == MP_OK ? mpi_model_lp_update(&sol->model, sc) : st;
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
    sol->lp_objective = sol->mip_relax = NAN; /* the reach's, among such plans */
    for (size_t r = 0; sol->rows && r < sol->model.lp.nrows; r++)
        sol->rows[r].shadow = sol->rows[r].price = NAN;
}
