/* Curves of a plan and the LP over them: scenarios, building, pricing and
 * solving (build.c, restricted.c). */
#ifndef MPI_MODEL_H
#define MPI_MODEL_H

#include "lp.h"
#include "plan.h"

#include <stdint.h>

/* What a scenario changes; the default scenario is the plan as written. */
typedef struct mpi_scenario {
    double *rate;       /* [nch] yearly cost inflation; NAN: the channel's own */
    double *cost_mult;  /* [nch] multiplier of the channel's unit cost; 1: as written */
    double budget;      /* NAN: the plan's */
    double *bound;      /* [ncons] value of each constraint; NAN: the plan's */
    double *group_rate; /* [ngroups] yearly inflation of a keyword group; NAN: as planned */
} mpi_scenario;

mp_status mpi_scenario_init(mpi_scenario *sc, const mp_plan *plan);
void mpi_scenario_free(mpi_scenario *sc);
double mpi_scenario_budget(const mp_plan *plan, const mpi_scenario *sc);

/* Curves of a plan and the LP over them. */
typedef struct mpi_model {
    const mp_plan *plan;
    mpi_curve_list curves;
    size_t nspend_curves; /* curves[0..nspend_curves) are spend curves */
    /* [curves] 1 where every yield but spend's falls or stays along the curve
     * (set with the LP; NULL: not known), which the implicit solve uses */
    unsigned char *mono;
    /* The LP's sense, column count and rows' headers (kind, ref, op, rhs,
     * param, name, label): column j is segment j - c->col of the curve c
     * whose columns hold it, and each row's coefficients come from the
     * curves (mpi_lp_row_terms). obj, ub, ind and val are NULL and the rows'
     * len MPI_ROW_HEADER: the matrix is never kept with the model
     * (mpi_model_explicit builds it for the readers that need it). */
    mpi_lp lp;
    /* The booked MIP's effective-reach grids (mip.c) judge each corner by
     * the corner a level above it in every channel: max effective_reach's
     * upper bound (effective_obj.c); 0 as the plan is solved. */
    int eff_shift;
    /* Where each effective-reach grid lies (effective_grid.c): channel q of
     * constraint i from eff_box[6 i + 2 q] to eff_box[6 i + 2 q + 1]
     * impressions; NULL: from none to the sum of its columns' bounds. Not
     * owned: set by the solve for the MIP it builds. */
    const double *eff_box;
    /* The run's deadline passed before every curve was built: the LP, if solved, is no
     * plan's (solution.c says so). */
    int cut;
} mpi_model;

/* The spend each channel's curves must cover, at the data's prices, for every
 * one of the scenarios: [nch * (periods + 1)], the last column for reach. */
double *mpi_model_domain(const mp_plan *plan, const mpi_scenario *sc, size_t nsc);
/* Raise domain (as mpi_model_domain made it) so that it covers spend[c *
 * periods + t], currency at the scenario's prices, of every channel and
 * period, and each channel's total on its reach curve. */
void mpi_model_domain_cover(const mp_plan *plan, const mpi_scenario *sc, const double *spend,
                            double *domain);
/* Build the curves at the data's prices up to domain. With base (a model
 * built up to base_domain, at most domain), the curves that came out the same
 * whatever the spend to cover are borrowed from it instead (base must outlive
 * m and stay unchanged). */
mp_status mpi_model_curves(const mp_plan *plan, const double *domain, const mpi_model *base,
                           const double *base_domain, mpi_model *m);
/* Price the curves for a scenario (inflation, unit-cost multipliers). With
 * keep, the data-price curves are kept so that the model can be repriced. */
mp_status mpi_model_price(mpi_model *m, const mpi_scenario *sc, int keep);
/* (Re)build the LP over the priced curves with the scenario's budget and bounds. */
mp_status mpi_model_lp(mpi_model *m, const mpi_scenario *sc);
/* When every curve of m is borrowed from base (mpi_model_curves), a copy of
 * base's LP, for mpi_model_lp_update to bring to m's scenario; else nothing. */
mp_status mpi_model_lp_from(mpi_model *m, const mpi_model *base);
/* The same, reusing the LP's arrays when its pattern has not changed. */
mp_status mpi_model_lp_update(mpi_model *m, const mpi_scenario *sc);
/* All of the above for one scenario (NULL: the plan as written). */
mp_status mpi_model_build(const mp_plan *plan, const mpi_scenario *sc, mpi_model *m);
void mpi_model_free(mpi_model *m);
/* The whole explicit LP of m (columns, objective, bounds and every row's
 * coefficients) into out, for GLPK on all of it (--method direct and near,
 * export-lp, the infeasibility explanation, ranging); the caller frees it
 * (mpi_lp_free). */
mp_status mpi_model_explicit(const mpi_model *m, mpi_lp *out);
/* The non-zero coefficients the explicit LP of m has, counted without it. */
size_t mpi_model_nnz(const mpi_model *m);
/* The money paid by channel c in period t as a row over the curves: the
 * coefficient of curve cv's segment s, and the carried-in adstock's part
 * (the paid money is the row's terms less it). */
double mpi_model_paid_coef(const mpi_model *m, int c, int t, const mpi_curve *cv, int s);
double mpi_model_paid_shift(const mpi_model *m, int c, int t);
/* Whether a channel of the plan is booked (flights, whole units: mip.c). */
int mpi_plan_booked(const mp_plan *plan);
/* Whether some channel of plan is booked by its own keys (flights, spots,
 * insertions): a plan solved as booked only for its effective reach over
 * several channels (mip.c) has none, and its words say so. */
int mpi_plan_books_channels(const mp_plan *plan);
/* Whether ch airs or not by period (a 0/1 column a period: flight keys,
 * min_spend_active), and whether it buys whole units (spots, insertions). */
int mpi_booked_onoff(const mpi_channel *ch);
int mpi_booked_units(const mpi_channel *ch);
/* What booking asks of channel c's money paid in period t, at the period's
 * price level: at least *floor_cur when it airs, and a whole number of units
 * of *price each (0: no units). */
void mpi_booked_need(const mpi_model *m, int c, int t, double *floor_cur, double *price);
/* The explicit LP of m with the booked channels' integer columns and rows
 * (mip.c); book_cols[(c * periods + t) * 3 + k] receives the columns z (airs),
 * n (whole units) and s (a run's start) of each channel and period, or
 * (size_t)-1. */
mp_status mpi_model_booked(const mpi_model *m, size_t *book_cols, mpi_lp *out);
/* The booked channels' columns and rows (as mpi_model_booked adds them)
 * appended to out, an LP over m's columns or over some of them: map[j] is
 * model column j's column in out (NULL: the same), every booked channel's
 * segment among them; *cap is the capacity of out's column arrays. The
 * rows over channel c's money paid in period t have ref c * periods + t,
 * the others -1. */
mp_status mpi_booked_append(const mpi_model *m, const size_t *map, size_t *cap, size_t *book_cols,
                            mpi_lp *out);
/* The model of one booking pattern: m's curves and rows, and for each booked
 * channel-period a row on its money paid where the integers xb (of an LP
 * whose booked columns are book_cols) put it: whole units fix it, a period
 * off the air holds none, one on it at least its floor. pm borrows m's
 * curves (m must outlive it); free its rows with mpi_lp_free(&pm->lp). */
mp_status mpi_model_pattern(const mpi_model *m, const size_t *book_cols, const double *xb,
                            mpi_model *pm);

/* The curve that column j belongs to. */
size_t mpi_model_col_curve(const mpi_model *m, size_t j);
/* LP name of column j, e.g. x_search_generic_t3_k12_s4. */
void mpi_model_col_name(const mpi_model *m, size_t j, char *buf, size_t n);

/* GLPK on the whole explicit LP of m, built for the call (restricted.c). */
mp_status mpi_model_solve_explicit(const mpi_model *m, const mp_solve_opts *opts, mpi_lp_sol *sol);

/* Solve a model's LP as its method says (restricted.c). */
mp_status mpi_model_solve(const mpi_model *m, const mp_solve_opts *opts, mpi_lp_sol *sol);

/* Solve m's LP from row prices pi of a nearby optimum (NULL: none known), as
 * its method does (restricted.c): the default solves it from its curves
 * (mpi_model_solve_implicit), the others near pi on the explicit LP, else
 * whole. *full (when not NULL): it was solved without the help of pi. */
mp_status mpi_model_solve_from(const mpi_model *m, const double *pi, const mp_solve_opts *opts,
                               mpi_lp_sol *sol, int *full);
/* As mpi_model_solve_from, pi being the optimal prices of the same LP before
 * a few of its curves were refined: the default method starts from a
 * narrower band (mpi_model_resolve_implicit). */
mp_status mpi_model_resolve(const mpi_model *m, const double *pi, const mp_solve_opts *opts,
                            mpi_lp_sol *sol);

/* Solve lp starting from row prices pi of a nearby optimum (restricted.c):
 * optimal for the whole LP when it returns MP_OK with *fallback 0; with
 * *fallback 1 the caller solves the whole LP instead. */
mp_status mpi_lp_solve_near(const mpi_lp *lp, const double *pi, const mp_solve_opts *opts,
                            mpi_lp_sol *sol, int *fallback);

/* Row r's coefficient on curve c as terms, as the LP was built (its
 * constraint value in row->param): a[q] per yield q at the curve's price
 * level and a constant a[MPI_NKPI] per unit of the column. */
void mpi_lp_row_terms(const mpi_model *m, size_t r, const mpi_curve *c, double *a);

/* What the adstock carried into the plan's first period adds to row r's
 * right-hand side as built (the row's constraint value: row->param): the
 * rows are over the money paid, x_1 = a_1 - lambda a_0 (build.c). 0 in a
 * plan without carryover. */
double mpi_row_rhs_shift(const mpi_model *m, size_t r);
/* The objective over the money paid (carryover: an objective over what
 * spend buys, min cost or max impressions, counts x_t = a_t - lambda a_{t-1}):
 * the constant per unit of curve c's column added to its yield of the
 * objective's KPI, and the constant the adstock carried into period 1 adds
 * to the objective (-lambda a_0 times period 1's yield). Both 0 for a
 * response objective or a plan without carryover. */
double mpi_obj_carry(const mpi_model *m, const mpi_curve *c);
double mpi_obj_shift(const mpi_model *m);
/* The spend curve of channel c in period t (a channel of one curve a
 * period), or NULL. */
const mpi_curve *mpi_model_period_curve(const mpi_model *m, int c, int t);

/* ---- carryover (adstock.c) ---- */
/* Whether channel's curve in period t carries the response after the plan. */
int mpi_adstock_after(const mp_plan *plan, int channel, int t);
/* Add to v the response of the count_after periods after the plan at
 * adstock a (at the data's prices) in the last period per. */
void mpi_adstock_after_kpis(const mp_plan *plan, const mpi_channel *ch, const mpi_period *per,
                            double a, double *v);
/* The last period's curve of a channel with an after-the-plan part (the
 * model's curve plus that part, to where the model's ends). */
mp_status mpi_adstock_curve(const mp_plan *plan, const mpi_channel *ch, const mpi_period *per,
                            double spend_max, mpi_curve_list *out);
/* Raise d[0 .. periods) (a channel's domain at the data's prices) to the
 * adstock channel c may reach with campaign cap cap (level: each period's
 * price level). */
void mpi_adstock_domain(const mp_plan *plan, size_t c, double cap, const double *level, double *d);
/* Channel c's adstock in period t when it spends spend[c * periods + s]. */
double mpi_adstock_at(const mp_plan *plan, size_t c, int t, const double *spend);
/* ---- rows from the curves (rows.c) ---- */
/* Row r's coefficient on a segment of curve c is a0 + sum_q a[q] y_q (yields
 * at the curve's price level; mpi_lp_row_terms), and its terms depend on c
 * only through its class: kind, channel, period and keyword group. */
typedef struct mpi_row_term {
    size_t row;
    int n;              /* yields with a term */
    int q[MPI_NKPI];    /* those yields, ascending */
    double a[MPI_NKPI]; /* their terms */
    double a0;          /* the constant term per unit of the column */
} mpi_row_term;

/* The class table of a model's rows: a few hundred classes for millions of
 * segments. Built from the curves and m->lp.rows (kind, bound, param), never
 * from m->lp.ind or m->lp.val. */
typedef struct mpi_row_classes {
    size_t nrows, ncls, ncurves;
    uint32_t *cls;        /* [ncurves] each curve's class */
    size_t *rep;          /* [ncls] a curve of each class */
    double *terms;        /* [ncls][nrows][MPI_NKPI + 1]: a[q], then a0 */
    unsigned char *touch; /* [ncls][nrows]: the row has a term on the class */
    unsigned char *used;  /* [ncls][MPI_NKPI + 1]: a row's term or the objective uses it */
    double *obj0;         /* [ncls] the objective's constant a unit (mpi_obj_carry) */
    mpi_row_term *list;   /* the rows each class touches, with their terms... */
    size_t *lstart;       /* ...class k's at list[lstart[k] .. lstart[k + 1]) */
    unsigned *need;       /* [ncls] the yields its rows read, a bit a KPI */
    unsigned char *qlist; /* [ncls][MPI_NKPI + 1] the same KPIs ascending, then MPI_NKPI */
    size_t mid;           /* curves [0, mid) and [mid, ncurves): an evaluation's halves */
    double *half;         /* [2 * nrows] the second half's sums (one evaluation at a time) */
} mpi_row_classes;
mp_status mpi_row_classes_init(const mpi_model *m, mpi_row_classes *t);
void mpi_row_classes_free(mpi_row_classes *t);
/* Every row's activity at column values x into act[nrows] and, when size is
 * not NULL, its size into size[nrows]: |rhs| + sum of |coefficient * x| over
 * the row, the scale of its tolerance. Terms are added in column order over
 * each of two fixed halves of the curves (on two threads for many curves),
 * then the halves added: the same to the bit on one thread or two. One
 * evaluation at a time per table (the second half's sums are t's). */
void mpi_row_classes_eval(const mpi_row_classes *t, const mpi_model *m, const double *x,
                          double *act, double *size);
/* mpi_row_classes_eval's sums made by the caller's own pass over the curves
 * (the implicit solve's check, which walks every segment at the plan
 * anyway), to the bit: sums [4 * nrows] started (rows: m->lp.rows), each curve i added in curve
 * order to half 0 when i < t->mid, else to half 1 (cls: t->cls[i]), then the
 * halves added into as[0 .. 2 * nrows) (activities, then sizes). */
void mpi_row_sums_start(const mpi_row *rows, size_t nrows, double *sums);
void mpi_row_sums_add_curve(const mpi_row_classes *t, const mpi_curve *c, uint32_t cls,
                            const double *x, double *sums, int half);
void mpi_row_sums_end(size_t nrows, double *sums, double *as);
/* Every row's activity and size at one plan, evaluated once and handed from
 * pass to pass (equal ties, the exact rows, the rows' report) while the plan
 * and the rows' bounds stay as they were: a pass that moves either marks it
 * stale (valid 0). */
typedef struct mpi_rows_at {
    double *as; /* [2 * nrows]: activities, then sizes (as mpi_row_classes_eval) */
    int valid;
    /* An equal-ties pass that moves the plan finds the rows at the moved
     * plan as the rows at the plan given plus each moved column's change
     * (ties.c rows_moved: to rounding, what a walk of every segment gives)
     * instead of walking every segment again (refine.c: the plan is most
     * often solved again next; when it is not, the finish reads them). */
    int sum_on_move;
} mpi_rows_at;
/* The rows at x into as[0 .. 2 * nrows): ra's when valid (NULL: none), else
 * evaluated and kept in ra (valid from then on). */
mp_status mpi_rows_at_get(mpi_rows_at *ra, const mpi_model *m, const double *x, double *as);
/* Keep as[0 .. 2 * nrows), the rows at the plan, in ra (valid). */
mp_status mpi_rows_at_keep(mpi_rows_at *ra, const mpi_model *m, const double *act,
                           const double *size);
void mpi_rows_at_free(mpi_rows_at *ra);
/* Row r's non-zero coefficients, columns ascending, into ind and val (when
 * not NULL): the explicit matrix's row, to the bit, built from the curves.
 * Returns how many. */
size_t mpi_row_classes_row(const mpi_row_classes *t, const mpi_model *m, size_t r, size_t *ind,
                           double *val);
/* Every row's activity at x (a class table built for the call). */
mp_status mpi_model_row_activity(const mpi_model *m, const double *x, double *act);
/* Row r's activity at x, and in *size (when not NULL) its size as above. For
 * several rows, mpi_row_classes_eval once is much cheaper. */
mp_status mpi_model_row_activity_one(const mpi_model *m, size_t r, const double *x, double *act,
                                     double *size);
/* Whether a row at activity act (of size size) is within its bound, to
 * tol_rel * (1 + size). */
int mpi_row_within(const mpi_row *row, double act, double size, double tol_rel);
/* Whether x meets every row of m's LP, within 1e-6 of each row's size
 * (|rhs| plus the sum of |coefficient * x|, as a walk along the explicit
 * matrix's row sums it). */
mp_status mpi_model_rows_hold(const mpi_model *m, const double *x, int *hold);

/* Solve a model's LP from its curves and row prices, never reading its
 * matrix (implicit.c): every segment priced from its curve's coefficient
 * class, GLPK on the segments in question only, the answer verified over
 * every segment. pi_start: row prices of a nearby optimum (a what-if's last
 * scenario, a refinement's last LP), or NULL to find them on a sampled
 * smaller instance. The verdict (infeasible, unbounded) is GLPK's on the
 * whole LP. Reads m->lp's rows (bounds) but neither m->lp.ind nor m->lp.val. */
mp_status mpi_model_solve_implicit(const mpi_model *m, const double *pi_start,
                                   const mp_solve_opts *opts, mpi_lp_sol *sol);
/* As mpi_model_solve_implicit from pi, the optimal prices of the same LP
 * before a few of its curves were refined (refine.c): its first band is
 * narrower around them. */
mp_status mpi_model_resolve_implicit(const mpi_model *m, const double *pi,
                                     const mp_solve_opts *opts, mpi_lp_sol *sol);

/* What this thread's last implicit solve did, for tests and the benchmark. */
typedef struct mpi_implicit_stats {
    size_t rounds;      /* band LPs solved on the model's own instance */
    size_t band_cols;   /* columns of the last of them */
    size_t sample_cols; /* columns of the sampled instance its prices came from (0: none) */
    int whole;          /* it ended solving the whole LP at once */
    double total_s;     /* its time, and of that: */
    double glpk_s;      /* in GLPK (band LPs of every level, sampled instances' too) */
    double sample_s;    /* finding the starting prices (sampled instances, GLPK included) */
} mpi_implicit_stats;
void mpi_implicit_last(mpi_implicit_stats *out);
/* LPs up to whole_max columns are solved whole at once (30,000 unless a test
 * sets it); returns the previous value. Not for use while solves run. */
size_t mpi_implicit_tune(size_t whole_max);
/* The band's starting width: segments within band_rel of a zero reduced cost,
 * relative to the size of its terms (0.01 unless set); returns the previous. */
double mpi_implicit_tune_band(double band_rel);
/* Passes over the curves run on two threads from min_cols columns (200,000
 * unless set; the answer is the same either way); returns the previous. */
size_t mpi_implicit_tune_threads(size_t min_cols);

/* ---- the exact model (exact.c) ---- */
/* Exact KPIs of curve c of model m at spend x (currency, at the curve's price
 * level, 0 <= x <= mpi_curve_end(c)): v[q] for every q < MPI_NKPI, v[MPI_SPEND]
 * = x. The model's own closed form (or for search an inversion of
 * spend(bid)), never the piecewise-linear chords. */
void mpi_curve_exact(const mpi_model *m, const mpi_curve *c, double x, double *v);
/* mpi_curve_exact at n spends x[i] (n at most MPI_EXACT_N_MAX) of curve c,
 * v[i * MPI_NKPI + q]: the same figures, the model's setup of the curve
 * once for all (its exact_n). */
#define MPI_EXACT_N_MAX 4
void mpi_curve_exact_n(const mpi_model *m, const mpi_curve *c, const double *x, int n, double *v);
/* mpi_curve_exact on draw d of its channel's uncertain curve (d below the
 * channel's resp.nd): one draw's outcome at x, where mpi_curve_exact gives
 * the draws' mean. */
void mpi_curve_exact_draw(const mpi_model *m, const mpi_curve *c, size_t d, double x, double *v);
/* mpi_curve_end (models.h): the largest spend curve c covers at its price
 * level (sum of its widths, or where a bid ceiling cuts it). */
/* mpi_curve_exact, returning the exact bid of curve c at spend x at its price
 * level (at most its ceiling), or NAN for curves without bids. */
double mpi_curve_exact_bid(const mpi_model *m, const mpi_curve *c, double x, double *v);
/* Where curve c's exact bid reaches its ceiling, as a spend at its price level
 * (INFINITY: no ceiling). */
double mpi_curve_ceiling_spend(const mpi_model *m, const mpi_curve *c);

#endif /* MPI_MODEL_H */
