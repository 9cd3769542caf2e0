/* The certified distance to the exact optimum (bound.c) and the refinement of
 * the curves that closes it (refine.c).
 *
 * The LP decides spends over piecewise-linear curves; the exact model has the
 * curves themselves. Its optimum is bounded by the Lagrangian dual: with any
 * row prices pi of the right signs,
 *
 *     OPT <= sum_r pi_r rhs_r + sum_c max_{0 <= x <= end_c} g_c(x)     (max plans)
 *     g_c(x) = sum_q alpha_cq V_cq(x),  alpha_cq = objective_q - sum_r pi_r a_rcq
 *
 * where V_cq is curve c's exact cumulative KPI q and a_rcq the weight row r
 * puts on it (mpi_row_terms); a min plan gets a lower bound the same way. The
 * LP's own prices make the bound tight up to what the chords miss. Each g_c
 * is maximised by a 1-D branch and bound whose interval bounds use only that
 * every V_cq is nondecreasing and concave in spend, so the bound is rigorous
 * even where g_c is not concave (a KPI cap's price puts a negative weight on
 * a concave KPI). */
#ifndef MPI_BOUND_H
#define MPI_BOUND_H

#include "solution.h"

/* ---- one dimension ------------------------------------------------------- */

/* A point of g = P - N, where P and N are nondecreasing (and concave when the
 * caller says so): the positive- and negative-weight parts of g; dp is P's
 * slope at x when the caller knows it (a concave P lies below its tangent
 * everywhere), else NAN. */
typedef struct mpi_pn_pt {
    double x, p, n, dp;
} mpi_pn_pt;

/* P(x) and N(x), exactly, and P's slope at x in *dp when known (it is NAN
 * on the call; left so when unknown). */
typedef void (*mpi_pn_fn)(void *ctx, double x, double *p, double *n, double *dp);

/* A 1-D maximisation in progress: points ascending in x (the first and last
 * are the ends of the domain), room for cap of them. */
typedef struct mpi_pn_search {
    mpi_pn_pt *pt;
    size_t n, cap;
    int concave; /* P and N are concave: chords bound them */
    /* Room for cap interval bounds and where each is reached, kept between
     * evaluations by mpi_pn_max (both NULL: recomputed each time). */
    double *ub, *at;
    /* With focus, only the intervals within [from_x, to_x] are searched: the
     * caller knows the maximum is there (g concave around its best point). */
    int focus;
    double from_x, to_x;
    double best; /* the largest g at a point */
    double arg;  /* where */
} mpi_pn_search;

/* Upper bound on max g over [pt[0].x, pt[n-1].x] from the points alone; *at
 * gets the point where the bound is reached (where to look next). */
double mpi_pn_bound(const mpi_pn_search *s, double *at);
/* Insert the point (x, P, N) in order (no-op when the search is full). */
void mpi_pn_add(mpi_pn_search *s, double x, double p, double n);
/* As mpi_pn_add, with P's slope dp at x (NAN: unknown). */
void mpi_pn_add_slope(mpi_pn_search *s, double x, double p, double n, double dp);
/* Branch and bound: evaluate f at up to evals new points, each where the
 * bound is reached, until the bound is within eps of s->best. Returns the
 * bound (an upper bound on max g, whatever eps and evals). */
double mpi_pn_max(mpi_pn_search *s, mpi_pn_fn f, void *ctx, double eps, int evals);

/* ---- the plan ------------------------------------------------------------- */

/* Row r of m's LP under scenario sc (NULL: the plan as written), as a function
 * of curve c's exact KPIs (build.c): the row's activity over c at spend x is
 * a[MPI_NKPI] x + sum_q a[q] V_q(x), a[] of MPI_NKPI + 1 weights. */
void mpi_row_terms(const mpi_model *m, const mpi_scenario *sc, size_t r, const mpi_curve *c,
                   double *a);
/* Row r's right-hand side as the plan (and scenario) states it, before any
 * tightening of the LP's (build.c). */
double mpi_row_rhs(const mpi_model *m, const mpi_scenario *sc, size_t r);

/* The bound of a solved LP and where it comes from, curve by curve. */
typedef struct mpi_bound {
    /* Upper bound on the exact optimum for a max plan, lower bound for a min
     * plan; NAN when there is none (no plan). */
    double bound;
    /* The Lagrangian at the LP's own curves (the breakpoints): what the
     * chords let the prices see. bound - lagr_pwl is what the chords miss. */
    double lagr_pwl;
    size_t clamped; /* prices of the wrong sign for their row, taken as 0 */
    /* Per curve (when the caller gives room, [m->curves.n]): how much of the
     * bound curve c adds beyond its breakpoints (in objective units), and the
     * spend where its subproblem is best (NAN: at a breakpoint). */
    double *miss;
    double *arg;
} mpi_bound;

/* Bound the exact optimum of m's plan under scenario sc (NULL: as written)
 * with row prices pi ([m->lp.nrows], d objective / d rhs), the LP's spends x
 * ([m->lp.ncols]) and the objective value at them. The 1-D maxima are
 * searched (exact evaluations) only as far as needed for a gap within gap
 * (fraction), or, when the prices cannot give that or with tight, until
 * they leave open a tenth of it. MP_ERR_NOMEM when out of memory. */
mp_status mpi_lagrange_bound(const mpi_model *m, const mpi_scenario *sc, const double *pi,
                             const double *x, double value, double gap, int tight, mpi_bound *out);

/* The smallest of v[0..n) such that the values below it add up to at most
 * allowed (INFINITY when all of them do): the cut between the many small
 * and the few large, e.g. curves worth searching or refining. */
mp_status mpi_small_sum_threshold(const double *v, size_t n, double allowed, double *threshold);

/* The certified gap |bound - value| / |bound| (0 when both are 0; NAN without
 * a bound). */
double mpi_gap_of(double bound, double value);

/* ---- the solution ------------------------------------------------------- */

/* sol->bound and sol->gap from its LP's prices (a plan forced in order by a
 * MIP uses its LP relaxation's, kept in sol->relax_dual). */
mp_status mpi_solution_bound(mp_solution *sol);

/* The curves a refinement changed, as they were (what-if scenarios put them
 * back, so that each scenario's breakpoints are its own). */
typedef struct mpi_refine_log {
    size_t n, cap;
    size_t *idx;     /* curve indexes */
    mpi_curve *orig; /* the curves as they were */
} mpi_refine_log;

/* Refine the curves of sol->model where the bound says the chords miss most
 * (breakpoints at each curve's fill point and at its subproblem's best
 * spend), re-solving from the last prices, until the certified gap is at
 * most the plan's gap or the time limit (refine.c). sol->lp is the LP's
 * optimum: of the LP as built when its plan is within the gap of the best
 * bound found (the refined LPs then only gave better prices; the curves are
 * put back), else of the refined LP. sol->bound is the best bound found.
 * With log (a what-if scenario), the curves changed are recorded there for
 * mpi_refine_undo (the scenario ends as optimize would, the next one starts
 * from the curves as built); without, a refinement kept is for good and the
 * curves are marked refined (a what-if run borrows none of them). */
mp_status mpi_refine_to_gap(mp_solution *sol, const mp_solve_opts *opts, mpi_refine_log *log);
/* Put back the curves log recorded, and drop m's LP (built over the refined
 * curves); the log is emptied for the next use. */
void mpi_refine_undo(mpi_model *m, mpi_refine_log *log);
/* Breakpoints on every spend curve around sol's plan (at its fill point and
 * at half, a quarter and an eighth of the segments on either side), the model's LP built
 * again and sol->lp.x the same spends on the new segments; *added counts
 * them (0: nothing changed). For a plan its LP's prices did not choose (a
 * risk plan): no bound says where the chords miss. log as for
 * mpi_refine_to_gap. */
mp_status mpi_refine_at_plan(mp_solution *sol, mpi_refine_log *log, size_t *added);
/* mpi_solve_risk, then the curves of the plan it took (a risk plan, or one
 * held in every draw) refined around it and its LP solved again while that
 * gains a relative 1e-9: the mean plan's breakpoints sit where the mean plan
 * fills the curves, not where this plan does, and a plan left between them
 * gives up what their chords miss, differently at each budget. log as for
 * mpi_refine_to_gap (a what-if scenario's). */
mp_status mpi_solve_risk_refined(mp_solution *sol, const mp_solve_opts *opts, mpi_refine_log *log);
void mpi_refine_log_free(mpi_refine_log *log);

/* ---- passes in two halves (halves.c) ------------------------------------- */

/* Run fn(half0) and fn(half1), a pass over curves split in two fixed halves:
 * on two threads when it covers at least the threshold's curves, else one
 * after the other. The caller splits the curves and adds the halves' sums in
 * order, so the answer is the same to the bit either way. */
void mpi_halves_run(size_t curves, void *(*fn)(void *), void *half0, void *half1);
/* Passes of at least min_curves curves run on two threads (4,096 unless a
 * test sets it; the answer is the same either way); returns the previous. */
size_t mpi_halves_tune_threads(size_t min_curves);

#endif /* MPI_BOUND_H */
