/* The solution as reports read it. */
#ifndef MPI_SOLUTION_H
#define MPI_SOLUTION_H

#include "model.h"

typedef struct mpi_kw_result {
    int channel;
    size_t keyword;
    double spend, clicks, conversions, impressions, revenue;
    double bid; /* spend-weighted bid over periods */
} mpi_kw_result;

/* What happens at an end of a binding row's range (ranging.c). */
enum mpi_range_end {
    MPI_END_NONE,       /* no range: the row does not bind, or the plan has no duals */
    MPI_END_OPEN,       /* no end within the search: the end is NAN */
    MPI_END_LIMIT,      /* the bound's own limit (0, or 100 % of a share) */
    MPI_END_UNBINDS,    /* the row itself stops binding */
    MPI_END_BINDS,      /* another row (row[]) starts binding */
    MPI_END_TAKES_OVER, /* another row (row[]) starts binding and this one stops */
    MPI_END_RELEASES,   /* another row (row[]) stops binding */
    MPI_END_INFEASIBLE, /* past it no plan meets every row */
    /* The row stops binding because the channel it counts (row[]) can take
     * no more: */
    MPI_END_CHANNEL_CAP, /* its max_spend */
    MPI_END_CURVE_END,   /* the end of its curves (all it can buy) */
    MPI_END_BID_CEILING  /* its keywords' bid ceiling (ceiling[]) */
};

/* The interval of a binding row's bound (in the bound's terms: currency, a
 * fraction of a share, a ROAS ratio, a KPI) over which the same rows bind,
 * and what happens at each end ([0] lower, [1] upper). */
typedef struct mpi_range {
    double end[2];
    int why[2];        /* enum mpi_range_end */
    long row[2];       /* the LP row named by MPI_END_BINDS / RELEASES, the channel by
                        * CHANNEL_CAP / CURVE_END / BID_CEILING, else -1 */
    int group[2];      /* that channel's keyword group when the row counts only it, else -1 */
    double ceiling[2]; /* BID_CEILING: the highest bid ceiling reached, currency */
    int too_large;     /* binding, but not ranged: the plan is beyond the ranging's work bound */
} mpi_range;

typedef struct mpi_row_result {
    double value; /* the measure: spend, share, cpa, roas or KPI */
    double bound;
    int binding;
    double dual; /* d objective / d rhs, the LP's (its chords') */
    /* d objective / d bound on the exact curves (shadow.c), per unit of the
     * bound as the plan writes it: currency, a fraction for a share or ROAS,
     * one unit of a KPI; NAN: none (a MIP) */
    double shadow;
    /* the same price per unit of the row's right-hand side (the exact
     * counterpart of dual, on the same scale): whether a bound costs
     * anything at all is judged on it; NAN where shadow is */
    double price;
    mpi_range range;
} mpi_row_result;

/* A constraint the planner's current plan breaks. */
typedef struct mpi_baseline_break {
    const char *name; /* the plan's constraint name, or the row's ("budget", "max_spend_tv") */
    const char *expr; /* the constraint's text, or what the row says */
    const mpi_constraint *cons; /* the plan's constraint; NULL for implicit rows */
    int op;
    double value, bound; /* the measure and its bound in their natural unit (as mpi_row_result) */
} mpi_baseline_break;

/* The booking rules of a booked channel the current plan may break
 * (baseline_book.c). */
enum {
    MPI_BOOK_FLIGHT,    /* on air outside the flight; value: the spend */
    MPI_BOOK_UNITS,     /* not whole spots or insertions; value: units, bound: a unit's price */
    MPI_BOOK_MIN_GRP,   /* value: GRP, bound: min_grp */
    MPI_BOOK_MIN_SPEND, /* value: spend, bound: min_spend_active */
    MPI_BOOK_MAX_GRP,   /* value: GRP, bound: max_grp */
    MPI_BOOK_MAX_INSERTIONS, /* value: insertions, bound: max_insertions */
    MPI_BOOK_MIN_BURST,      /* a run on air; value: its periods, bound: min_burst */
    MPI_BOOK_MAX_ACTIVE      /* value: periods on air, bound: max_active_periods */
};

/* A booking rule the current plan breaks: channel, period (0-based; a run's
 * first; -1 for max_active_periods), MPI_BOOK_*, the period's spend and
 * the rule's measure and bound as the rule counts them. */
typedef struct mpi_baseline_booking {
    int channel, period, rule;
    double spend, value, bound;
} mpi_baseline_booking;

/* The planner's current plan ([plan] baseline) on the same models, by the
 * exact curves at the plan's price levels (baseline.c). */
typedef struct mpi_baseline {
    double objective;     /* the objective's KPI total, as the optimised plan's */
    double kpi[MPI_NKPI]; /* totals; reach de-duplicated (summed without a universe) */
    double reach_dedup;   /* people, independent duplication; NAN without a universe */
    double reach_summed;  /* people, the channels' reach added up */
    double eff_reach;     /* people reached [plan] effective_frequency times; NAN without */
    double *ch_kpi;       /* [nch * MPI_NKPI] */
    /* spend the channel's curves cannot take in a period (its keywords all
     * bought, a bid ceiling): [nch], not in ch_kpi */
    double *unplaced;
    mpi_baseline_break *broken;
    size_t nbroken;
    mpi_baseline_booking *booking; /* the booking rules it breaks, by channel and period */
    size_t nbooking;
} mpi_baseline;

/* Evaluate plan->baseline against sol's model into sol->baseline (nothing
 * without a baseline). */
mp_status mpi_baseline_eval(mp_solution *sol);
void mpi_baseline_free(mpi_baseline *b);
/* The booking rules plan->baseline breaks, on the baseline's model bm (its
 * curves cover the baseline's spends), into b->booking. */
mp_status mpi_baseline_booking_check(const mpi_model *bm, mpi_baseline *b);
/* "the current plan books tf1 in week 4, outside its flight (1-3, 6-8)" */
void mpi_baseline_booking_text(const mp_plan *plan, const mpi_baseline_booking *k, mpi_lang l,
                               char *buf, size_t n);
/* The JSON name of a MPI_BOOK_* rule ("flight", "whole_units", ...). */
const char *mpi_baseline_booking_rule(int rule);

/* An outcome over the draws (uncertain.c): its weighted mean and P10, P50,
 * P90 (the inverse of the empirical CDF). */
typedef struct mpi_qset {
    double mean, p10, p50, p90;
} mpi_qset;

/* The chosen plan's outcomes over the draws of its uncertain curves: the
 * exact model at the plan's spends for each draw. */
typedef struct mpi_quantiles {
    int q;         /* the KPI: the objective's, or a min plan's target's (else its return's) */
    size_t ndraws; /* aligned: the draws; independent: the combinations counted */
    int sampled;   /* independent: a fixed-seed sample of the combinations */
    double combos; /* independent: every combination's count; aligned: ndraws */
    /* A min plan's target (its first KPI >= bound over every channel, which
     * holds in expectation): the constraint's index (-1: none), its bound in
     * the scenario, and the weight of the outcomes that meet it (NAN: none) */
    int target;
    double target_value, met;
    mpi_qset obj; /* the plan's total (with the response after the plan) */
    /* Aligned draws of a plan chosen for the bad draws (risk = cvar or worst):
     * its measure at these spends, the mean of the worst share of the draws'
     * weight or the worst draw (mpi_risk_measure); NAN otherwise */
    double risk;
    mpi_qset *ch;  /* [nch] each channel's */
    size_t *ch_nd; /* [nch] each channel's draws (0: certain) */
} mpi_quantiles;

/* The quantiles of sol's plan when the plan has draws (sol->quant). */
mp_status mpi_draws_quantiles(mp_solution *sol);
void mpi_quantiles_free(mpi_quantiles *q);
/* The outcome a fraction p of weight w[0..n) reaches: the smallest x[i]
 * with at least p of the total weight at or below it (x, w sorted by x). */
double mpi_quantile_at(const double *x, const double *w, size_t n, double p);

/* Aligned draws: the plan's total in each draw at sol's spends (y[nd], the
 * KPI of the quantiles), its draws' count and their weights. */
mp_status mpi_draws_totals(const mp_solution *sol, double *y);
size_t mpi_plan_draws(const mp_plan *plan);
/* Aligned draw j (from 0) as the planner counts it: its draws file's row
 * number from 1, the point of the ranges crossed with it (0 low, 1 base,
 * 2 high, -1 none), "draw 12 of 400, the ranges at their low point". */
size_t mpi_draw_number(const mp_plan *plan, size_t j);
int mpi_draw_point(const mp_plan *plan, size_t j);
void mpi_draw_text(const mp_plan *plan, size_t j, mpi_lang lang, char *buf, size_t n);
const double *mpi_plan_draw_weights(const mp_plan *plan);
/* What the figures over the draws are taken over, in words: "1,000 draws,
 * aligned across the channels", "the ranges' three points (low, base and
 * high, ...)", "1,800 combinations of the channels' independent draws". */
void mpi_draws_basis_text(mpi_lang lang, const mp_plan *plan, const mpi_quantiles *qs, char *buf,
                          size_t n);
/* Every channel's draws are a range's three points (no draws file). */
int mpi_draws_three_points(const mp_plan *plan);
/* ... and aligned: the outcomes are those three points, not draws
 * ("holds at the ranges' low, base and high points"). */
int mpi_draws_points_only(const mp_plan *plan);

/* A plan optimised for risk = cvar or worst (risk.c): the measure (enum
 * mpi_risk) and level; the exact measure and mean over the draws at the
 * plan's spends, and the same at the mean-optimal plan's; the risk LP's
 * own value (its chords, below the exact at the same spends). */
typedef struct mpi_risk_out {
    int measure;
    double level;
    size_t ndraws;
    double value, mean;
    double mean_plan_value, mean_plan_mean;
    double lp_value;
    double lp_bound; /* the cuts' LP's bound on lp_value's best (risk.c) */
    /* a bound on the measure of any plan on the exact curves, and the plan's
     * value's distance to it over it; NAN when a row is on an outcome */
    double bound, gap;
    size_t cuts; /* the cuts it took */
    int stopped; /* the time limit stopped the risk LP: the plan is the mean plan */
    /* the time limit stopped the mean-optimal plan's own solve before it
     * found a plan: no comparison */
    int mean_stopped;
} mpi_risk_out;

/* Constraints that must hold in every draw (hold.c): for each of the
 * plan's constraints, whether it must, and at the plan's spends its measure
 * (CPA, ROAS or KPI total, as the constraint's value) in its worst draw
 * on the exact curves, that draw and whether every draw meets the bound. */
typedef struct mpi_hold_out {
    size_t ncons, ndraws;
    unsigned char *all;   /* [ncons] must hold in every draw */
    double *worst;        /* [ncons] the worst draw's measure (NAN: a CPA of no conversions) */
    size_t *worst_draw;   /* [ncons] which draw (from 0) */
    unsigned char *met;   /* [ncons] every draw meets the bound (relative 1e-7) */
    unsigned char *has;   /* [ncons] on an uncertain outcome: the above are set */
    unsigned char *tight; /* [ncons] the worst draw is at the bound: the constraint binds */
} mpi_hold_out;

/* A constraint on an uncertain outcome (cpa, roas, a KPI total but reach),
 * and whether plan's constraint i must hold in every draw; whether any
 * does (aligned draws). */
int mpi_cons_uncertain(const mpi_expr *e);
/* One that floors an outcome (a KPI's total >=, a CPA cap, a ROAS floor):
 * met on the chords, under each concave curve, it is met by the curves,
 * and the LP has no gain in filling a curve out of order; a cap on an
 * outcome is not (the LP would spend on a curve's flat end first). */
int mpi_cons_floor(const mpi_expr *e);
int mpi_cons_must_hold(const mp_plan *plan, size_t i);
int mpi_plan_must_hold(const mp_plan *plan);
/* The rows of the draws that constraints must hold in, for the LP of n0
 * columns lp (the explicit LP, maybe with more columns after n0): built
 * by mpi_hold_lp_init (*out NULL when none must), added by mpi_hold_lp_cut
 * for the draws the plan x breaks (with tight, those at the bound as well:
 * the rows a plan found before needs), *added of them. */
typedef struct mpi_hold_lp mpi_hold_lp;
mp_status mpi_hold_lp_init(const mpi_model *m, const mpi_lp *lp, size_t n0, mpi_hold_lp **out);
mp_status mpi_hold_lp_cut(mpi_hold_lp *h, const double *x, int tight, mpi_lp *lp, size_t *added);
/* tight[i] set for each constraint i some draw's row of which is at its
 * bound at plan x, on the chords the LP solved (tight: [ncons], cleared by
 * the caller): the constraint binds in that draw. */
void mpi_hold_lp_tight(mpi_hold_lp *h, const double *x, unsigned char *tight);
void mpi_hold_lp_free(mpi_hold_lp *h);
/* A plan the time limit left before the plan for the draws was found (the
 * mean plan) is no plan when it breaks a constraint that must hold in every
 * draw (sol->hold, the exact curves in each draw): an error for optimize
 * naming the constraint and its worst draw, a scenario without a plan for
 * a what-if, saying the same. A plan that breaks none stands. */
mp_status mpi_hold_stopped_check(mp_solution *sol);
/* Constraint i's figure at its bound in a what-if scenario's worst draw, in
 * lang ("cpa at its limit in draw 145 of 200: 70.00 EUR"); "" unless it
 * must hold in every draw and binds there (h->tight). */
void mpi_hold_scen_text(const mp_plan *plan, const mpi_hold_out *h, size_t i, mpi_lang lang,
                        char *buf, size_t n);
/* sol->hold at sol's plan (nothing when no constraint must hold; for a
 * what-if scenario, nothing unless one must hold in every draw). */
mp_status mpi_hold_report(mp_solution *sol);
void mpi_hold_out_free(mpi_hold_out *h);
/* Constraint i's line in lang when it must hold in every draw (else ""):
 * that it does, in how many draws, and its worst draw's measure. */
void mpi_hold_text(const mp_solution *sol, size_t i, mpi_lang lang, char *buf, size_t n);
/* Whether constraint i must hold in every draw and has its worst draw. */
int mpi_hold_binds_all(const mp_solution *sol, size_t i);
/* What a binding line says after constraint i's bound when it must hold in
 * every draw: its worst draw and that draw's figure beside the expected
 * one (the row's value); "" when it need not. */
void mpi_hold_binding_text(const mp_solution *sol, size_t i, double expected, mpi_lang lang,
                           char *buf, size_t n);
/* A new row of lp (risk.c), its entries put in ascending columns, then closed. */
mp_status mpi_risk_open_row(mpi_lp *lp, int op, char *name);
mp_status mpi_risk_put(mpi_lp *lp, size_t col, double v);
void mpi_risk_close_row(mpi_lp *lp);

/* The measure of outcomes y[n] of weights w[n] (sum 1): the weighted mean of
 * the worst share level of them (cvar) or the least (worst). */
double mpi_risk_measure(const double *y, const double *w, size_t n, int measure, double level);
/* After the mean plan's LP is solved and refined: solve the risk LP in its
 * place (nothing for risk = mean). */
mp_status mpi_solve_risk(mp_solution *sol, const mp_solve_opts *opts);
/* The risk figures of sol's plan, and of the mean-optimal plan mean_sol. */
mp_status mpi_risk_report(mp_solution *sol, const mp_solution *mean_sol);
/* The risk plan against the mean-optimal plan in planner's words, in lang:
 * line 0 what it gains in the bad draws, line 1 what it costs on average,
 * line 2 its certified bound (each empty when there is nothing to say). */
void mpi_risk_text(const mp_solution *sol, mpi_lang lang, int line, char *buf, size_t n);
/* Whether two figures of the plans (a mean, the measure) differ by no more
 * than the plan's certified precision (its gap) allows to tell apart. */
int mpi_risk_same(const mp_plan *plan, double a, double b);

struct mp_solution {
    const mp_plan *plan;
    const mpi_scenario *sc; /* the scenario solved, or NULL for the plan as written */
    mpi_scenario *own_sc;   /* sc when the solution made it (max effective_reach), or NULL */
    /* max effective_reach (effective_obj.c): the most the channel reaches k
     * times over the LP (NAN: not that objective), branch and cut's nodes */
    double eff_most;
    long eff_nodes;
    /* over several channels, the grid its floor was found on (mpi_model
     * eff_box, owned), the plan solved on it; NULL otherwise */
    double *eff_box;
    mpi_model model;
    int borrowed_model; /* the model belongs to a what-if run */
    int light;          /* no per-keyword results (what-if scenarios) */
    mpi_lp_sol lp;
    int result;        /* mp_result */
    int planless;      /* time_limit with no plan meeting every row (a what-if scenario's) */
    int planless_ok;   /* planless is a result, not an error (MPI_SOLVE_PLANLESS) */
    int draws_stopped; /* the time limit stopped the plan for the draws (risk.c) */
    /* the time limit stopped refining the plan for the draws around its
     * spends: the plan found stands, not proven the best to the tolerance */
    int refine_stopped;
    int trivial;         /* time_limit: the plan found is to spend nothing */
    double objective;    /* the exact model's, at the LP's spends */
    double lp_objective; /* the LP's (its chords), at the same spends */
    double bound;        /* certified bound on the exact optimum (bound.h); NAN: none */
    double gap;          /* |bound - objective| / |bound|; NAN without a bound */
    double *relax_dual;  /* [lp nrows] the LP's prices before a MIP forced fill order, or NULL */
    double *bound_pi; /* [lp nrows] the prices bound was last computed from (refine.c), or NULL */
    /* A booked plan (flights, whole spots or insertions: mip.c): solved as a
     * MIP after its relaxation, whose LP objective (mip_relax) and bound stay
     * upper bounds; branch and cut's status (an mpi_lp status), nodes and own
     * gap (NAN: not known; INFINITY: the time limit ran out before any booked
     * plan was found, the solution then has no plan: mpi_booked_none);
     * [nch * periods] whole units bought (NAN: not in units) and 1 where the
     * channel airs (channels with flight keys). */
    int booked;
    int mip_status;
    long mip_nodes;
    double mip_relax, mip_gap_glpk;
    double *book_units;
    unsigned char *book_airs;
    /* A large booked plan's MIP restricted to the segments in question
     * (mip_band.c): its continuous columns (0: the whole MIP), the rounds
     * the band took, and whether it settled (the pattern's LP moved no
     * segment the restriction fixed). */
    size_t mip_band_cols;
    int mip_band_rounds, mip_band_settled;
    /* lp.x has had the equal-ties pass and is filled in order (refine.c did
     * both): mpi_solution_finish's refill and ties would leave it as it is. */
    int lp_tied;
    /* The rows at lp.x as the refinement's last equal-ties pass found them,
     * when it left lp.x as it was (valid, and lp_tied): mpi_solution_finish
     * reads them instead of evaluating them again. */
    mpi_rows_at lp_rows;
    char *explain;
    double build_s, solve_s;
    double kpi[MPI_NKPI]; /* totals; reach de-duplicated (summed without a universe) */
    double reach_dedup;   /* people, independent duplication; NAN without a universe */
    double reach_summed;  /* people, the channels' reach added up */
    double reach_log;     /* sum over channels of -ln(1 - reach / universe); NAN without one */
    double *ch_eff_reach; /* [nch] people reached effective_frequency times (effective.c), NAN
                             where the channel has none; NULL when the plan asks for none */
    double eff_reach;     /* the plan's, at [plan] effective_frequency; NAN without it */
    double *ch_kpi;       /* [nch * MPI_NKPI] */
    double *cp_kpi;       /* [nch * periods * MPI_NKPI] */
    double *ch_marginal;  /* [nch] objective per currency unit at the margin; NAN if saturated */
    double *cp_marginal;  /* [nch * periods] the same in each period (its best curve's there) */
    /* [nch] people reached k+ times more by the effective-reach floor a min
     * plan is read by, per currency unit more on each channel (effective.c:
     * 0 off the floor's channels); NULL without such a floor */
    double *ch_eff_marginal;
    /* Carryover (adstock.c): [nch * periods] each carrying-over channel's
     * adstock a_t (0 for the others), and [nch * MPI_NKPI] the response of
     * the periods after the plan ([plan] count_after), not in the KPIs
     * above; NULL in a plan without carryover. after_total: their sum. */
    double *adstock;
    double *after_kpi;
    double after_total[MPI_NKPI];
    mpi_kw_result *kw;
    size_t nkw;
    mpi_row_result *rows;      /* [lp.nrows] */
    struct mpi_report *report; /* the report view (report.h); NULL for a what-if scenario's */
    mpi_diag diag;             /* what the plan cannot do (advise.c), after the plan's own */
    mpi_baseline *baseline;    /* the planner's current plan, or NULL */
    mpi_quantiles *quant;      /* outcomes over the draws of uncertain curves, or NULL */
    mpi_risk_out *risk;        /* risk = cvar or worst: the plan's measure, or NULL */
    mpi_hold_out *hold;        /* constraints that must hold in every draw, or NULL */
    /* [ncons] constraint i binds in some draw at the plan the LP chose
     * (risk.c, on the chords it solved), or NULL */
    unsigned char *hold_tight;
};

#define MPI_CH_KPI(sol, c, q) ((sol)->ch_kpi[(size_t)(c)*MPI_NKPI + (q)])
#define MPI_CP_KPI(sol, c, t, q)                                                                   \
    ((sol)->cp_kpi[((size_t)(c) * (size_t)(sol)->plan->periods + (size_t)(t)) * MPI_NKPI + (q)])

/* Turn the LP solution in sol->lp into a result: infeasibility explained,
 * fill order enforced, KPIs aggregated, rows reported (solution.c). */
mp_status mpi_solution_finish(mp_solution *sol, const mp_solve_opts *opts);
/* Whether the LP's objective is max reach in its log form (expr.c): the
 * objective, bound and gap are then sums of -ln(1 - r/U) until
 * mpi_solution_people turns them into people. */
int mpi_objective_log(const mp_plan *plan);
/* The objective, LP objective, bound and gap of a max reach plan in its log
 * form in people (R = U (1 - e^-s), increasing: the bound stays one); the
 * gap in people is at most the log form's (1 - e^-s is concave and 0 at 0).
 * Once per solution, after its shadow prices; nothing for other plans. */
void mpi_solution_people(mp_solution *sol);

/* Warn of what the plan cannot do: a channel of a maximising plan that serves
 * neither the objective nor any constraint, an objective 0 at the optimum, a
 * cost minimised with nothing to reach (advise.c). */
mp_status mpi_solution_advise(mp_solution *sol);

/* ---- carryover (adstock.c) ---- */
/* The aggregated figures of carrying-over channels read back over the
 * money paid (mpi_aggregate, after the curves are taken; data_spend:
 * what each channel buys at the data's prices, for reach). */
mp_status mpi_adstock_read_back(mp_solution *sol, int ret_kpi, double *data_spend);
/* Scale v, the KPIs of curve cv at its fill (an adstocked channel's curve
 * runs over the adstock a_t), to what the money paid in its period buys:
 * spend, impressions, GRP and CO2e times x_t / a_t, as read back; the
 * response stays. A no-op for a channel without carryover or before the
 * solution is read back. */
void mpi_adstock_paid(const mp_solution *sol, const mpi_curve *cv, double *v);

/* ---- fill order (fill_order.c) ---- */
/* Row r's activity at x walked along lp's matrix; with scale, the magnitude
 * of its bound and terms. For an LP built explicitly (an elastic LP, say);
 * a model's rows are evaluated from its curves (mpi_row_classes_eval). */
double mpi_row_activity(const mpi_lp *lp, size_t r, const double *x, double *scale);
/* Refill each curve in segment order with the same total spend. For concave
 * curves this never lowers a KPI; if every row still holds, the refilled plan
 * is feasible and at least as good, hence optimal, and replaces x. *in_order
 * is 1 when x is in order (as given or refilled), 0 (x unchanged) when a row
 * would break; *moved (when not NULL) whether x was refilled. */
mp_status mpi_refill_in_order(const mpi_model *m, double *x, int *in_order, int *moved);
/* Whether x fills every curve of m in segment order (within 1e-7 of widths). */
int mpi_filled_in_order(const mpi_model *m, const double *x);
/* Refill each curve of x in segment order with its total, in place and
 * unchecked; returns whether a value moved (by more than 1e-7 of its width). */
int mpi_refill_curves(const mpi_model *m, double *x);
/* Whether xc (curve c's columns) fills c in segment order, as above. */
int mpi_curve_filled_in_order(const mpi_curve *c, const double *xc);
/* The fill-order rule one segment at a time, for a walk of a curve's
 * segments that does more (the implicit solve's check): the state after a
 * segment of width w at xs, from 0 before the first: 0 while every segment
 * is full, 1 past the first that is not, 2 once a later one is filled (out
 * of order, for good). */
static inline int mpi_order_step(int state, double xs, double w)
{
    if (state == 0)
        return xs < w * (1 - 1e-7) - 1e-7;
    return state == 1 && xs > 1e-7 * (1 + w) ? 2 : state;
}
/* Curve c refilled in segment order with the total of xc into out (which
 * may be xc); returns whether a value moved, as above. */
int mpi_refill_curve(const mpi_curve *c, const double *xc, double *out);
/* Where several plans are optimal, the same one every time (ties.c): columns
 * with equal objective and coefficients in the rows at their bound get one
 * fill fraction, their class's total over its width; rows and objective are
 * unchanged. From the curves (never the LP's matrix), in O(segments). pi:
 * the rows' prices at x (the LP's duals), or NULL; they change nothing but
 * how many segments are compared (fewer the closer x is to optimal at pi).
 * ra (or NULL): the rows at x when valid, and on return the rows at x as
 * the pass leaves it. */
mp_status mpi_equal_ties(const mpi_model *m, double *x, const double *pi, mpi_rows_at *ra);
/* As mpi_equal_ties; *in_order (when it returns MP_OK) gets whether x as the
 * pass leaves it fills every curve in order (mpi_filled_in_order), which the
 * pass has mostly found on its way. */
mp_status mpi_equal_ties_ordered(const mpi_model *m, double *x, const double *pi, mpi_rows_at *ra,
                                 int *in_order);
/* Re-solve with the curves that the LP filled out of order forced in order,
 * adding curves until the plan is physical (each round adds at least one). */
mp_status mpi_solve_in_order(mp_solution *sol, const mp_solve_opts *opts);
/* A booked plan's MIP from its solved relaxation (mip.c): the plan's spends
 * become the best booked plan's; nothing for a plan without booking keys. */
mp_status mpi_solve_booked(mp_solution *sol, const mp_solve_opts *opts);
/* The row of lp (a model's, or its explicit LP) holding constraint i, or
 * (size_t)-1; the channel of each of m's columns ([m->lp.ncols], NULL out of
 * memory; the caller frees it). */
size_t mpi_constraint_row(const mpi_lp *lp, size_t i);
int *mpi_column_channels(const mpi_model *m);
/* Effective reach over several channels (effective_grid.c): the box of each
 * grid (mpi_model eff_box) from none to the most its channel buys under the
 * plan's rows, into *box (NULL without such rows; the caller frees it); the
 * booked MIP on boxes box (NULL: the columns' bounds) into ms, cols its booked
 * columns; and ms refined: the boxes narrowed around its plan, finer, and the
 * MIP solved again while that is no worse, ms the best. */
mp_status mpi_eff_boxes(const mpi_model *m, const mp_solve_opts *opts, double **box);
/* The boxes as mpi_eff_boxes's, each from none to the sum of its channel's
 * columns' bounds (the grid of a plan that may bend the plan's rows). */
mp_status mpi_eff_wide_boxes(const mpi_model *m, double **box);
mp_status mpi_eff_solve(mp_solution *sol, const mp_solve_opts *opts, const double *box,
                        size_t *cols, mpi_lp_sol *ms);
mp_status mpi_eff_refine(mp_solution *sol, const mp_solve_opts *opts, double *box, size_t *cols,
                         mpi_lp_sol *ms);
/* Rounds of refinement; the boxes box narrowed around plan x (a column of
 * the explicit LP each, as a booked MIP's first columns), each level finer. */
#define MPI_EFF_ROUNDS 3
mp_status mpi_eff_narrow(const mpi_model *m, const double *x, double *box);
/* The people constraint i's channels reach together at the top of their
 * boxes box: no plan on that grid meets a higher floor. */
double mpi_eff_box_top(const mp_plan *plan, size_t i, const double *box);
/* ms's channels whose weeks are a tie for the grids spread evenly over the
 * periods where the plan's rows still hold (effective_grid.c). */
mp_status mpi_eff_spread(mp_solution *sol, mpi_lp_sol *ms);
/* ms's channels bought in whole units of one price over alike periods (no
 * flight keys, no carryover) dealt evenly over the periods, where the plan's
 * rows still hold and its objective is no worse: the search leaves such a tie
 * wherever it stopped, all in one week say (effective_grid.c). cols: the
 * booked columns of the MIP solved into ms (mip.c); xm: the plan's spends
 * on the model's columns (ms->x, or the band's pattern LP's: mip_band.c). */
mp_status mpi_units_spread(mp_solution *sol, const size_t *cols, mpi_lp_sol *ms, double *xm);
/* How a booked plan's marginal return reads on spend curve cv (aggregate.c):
 * MPI_MARGIN_OFF_AIR in a period its channel does not air (no next euro
 * there), MPI_MARGIN_UNIT where it buys whole units of *unit (currency, the
 * period's price: the next unit's return, not the next euro's), else
 * MPI_MARGIN_PLAIN (the curve's derivative; also with carryover, where a
 * unit's return runs on into later periods). */
enum { MPI_MARGIN_PLAIN, MPI_MARGIN_OFF_AIR, MPI_MARGIN_UNIT };

/* The money the solution puts on curve cv: its segments' spends added in
 * order. */
static inline double mpi_curve_spend(const mp_solution *sol, const mpi_curve *cv)
{
    double x = 0;
    for (int s = 0; s < cv->nseg; s++)
        x += sol->lp.x[cv->col + (size_t)s];
    return x;
}
int mpi_booked_margin(const mp_solution *sol, const mpi_curve *cv, double *unit);
/* Whether sol is a booked plan the time limit stopped before any booked
 * plan was found (no plan: its continuous relaxation is not one). */
int mpi_booked_none(const mp_solution *sol);
/* Whether a booked plan's MIP is restricted to the segments in question
 * (mip_band.c): the default method on more columns than the whole MIP is
 * worth (30,000 unless mpi_mip_tune_band set it; returns the previous). */
int mpi_mip_band_fits(const mpi_model *m, const mp_solve_opts *opts);
size_t mpi_mip_tune_band(size_t whole_max);
/* The restricted MIP from sol's relaxation (sol->lp, its prices), widened
 * until its pattern's LP moves no fixed segment (a few rounds at most): ms
 * gets branch and cut's last answer over the restricted LP (book_cols index
 * its columns), plan the plan over the model's columns (the pattern's LP).
 * *whole 1: the restricted MIP stayed infeasible, the whole MIP decides. */
mp_status mpi_mip_band(mp_solution *sol, const mp_solve_opts *opts, size_t *book_cols,
                       mpi_lp_sol *ms, mpi_lp_sol *plan, int *whole);

/* ---- aggregation (aggregate.c) ---- */
/* KPIs by channel, period and keyword, marginal returns and reach of the
 * spends sol->lp.x. */
mp_status mpi_aggregate(mp_solution *sol);
/* Raise channel c's marginal return, and its period t's, to mr when higher
 * (NAN: none there). */
void mpi_raise_marginal(mp_solution *sol, size_t c, size_t t, double mr);
/* Drop what mpi_aggregate computed (NULL-safe on a partial aggregation). */
void mpi_aggregate_clear(mp_solution *sol);
/* The exact KPIs of what a constraint's expression sums (added to in[]). */
void mpi_expr_inputs(const mp_solution *sol, const mpi_expr *e, double *in);
/* Each channel's effective reach and the plan's (effective.c), after its
 * KPIs are aggregated. */
mp_status mpi_effective_reach(mp_solution *sol);
/* A min plan read by people reached with a floor on effective reach
 * (mpi_effective_target): sol->ch_eff_marginal, the people each channel
 * brings to that floor's k+ reach per unit of spend more; NULL otherwise. */
size_t mpi_effective_target(const mp_plan *plan);
mp_status mpi_effective_marginals(mp_solution *sol);
/* The effective reach of an effective_reach(channel) row at the solution's
 * spends: its channel's people reached at least k times. */
double mpi_effective_row(const mp_solution *sol, const mpi_expr *e);
/* max effective_reach: the most impressions the channel buys over the LP
 * (its objective row maximised), the row's bound set to reach it in a
 * scenario of the solution (effective_obj.c), before the plan is solved. */
mp_status mpi_effective_objective(mp_solution *sol, const mp_solve_opts *opts);
/* The objective, its bound and gap in people reached k times, the prices of
 * the rows (those of the plan's reach among such plans) left out. */
void mpi_effective_objective_figures(mp_solution *sol);
/* The reach of e's channels in the LP row's log form (expr.c): the sum of
 * -ln(1 - r_c / universe) at the solution's spends. */
double mpi_reach_row_log(const mp_solution *sol, const mpi_expr *e);
/* Move the bound of each constraint row that the exact figures break and
 * solve again, a few rounds at most; a warning names a row still broken
 * (exact_rows.c). */
mp_status mpi_exact_rows(mp_solution *sol, const mp_solve_opts *opts, mpi_rows_at *ra);
/* The measure a row constrains, in its natural unit, given its activity. */
double mpi_row_measure(const mp_solution *sol, const mpi_row *row, double activity);
/* Each row's measure, bound, whether it binds, and its dual (sol->rows). */
mp_status mpi_fill_rows(mp_solution *sol, mpi_rows_at *ra);

/* ---- shadow prices (shadow.c) ---- */
/* Each row's shadow (sol->rows[].shadow): the exact model's Lagrange
 * multiplier at its optimum near the LP's plan (Newton's method on the KKT
 * conditions with the LP's active set; the LP's duals when that fails),
 * converted to the bound's unit. The plan and its figures are not touched. */
mp_status mpi_shadow_prices(mp_solution *sol);
/* Curve c's exact KPIs at spend x (0 <= x <= mpi_curve_end(c)) and their first
 * and second derivatives, by finite differences (one-sided at the ends); v
 * and d2 may be NULL. Spend is counted as the LP counts it (x on a spend
 * curve, 0 on a reach curve). */
void mpi_curve_slopes(const mpi_model *m, const mpi_curve *c, double x, double *v, double *d1,
                      double *d2);
/* The first derivatives alone, on a curve whose end (mpi_curve_end) is known:
 * two evaluations inside its domain instead of three. */
void mpi_curve_slopes_at(const mpi_model *m, const mpi_curve *c, double x, double end, double *d1);
/* mpi_plan_solve's flags: rows get their ranges (without, a what-if run's
 * base plan: its scenarios are the ranges a run asks for); a time limit
 * reached before any plan meeting every row is a result (sol->planless,
 * as a what-if scenario's), not an error (a risk plan's comparison). */
enum { MPI_SOLVE_RANGES = 1, MPI_SOLVE_PLANLESS = 2 };
/* mp_plan_solve with flags (MPI_SOLVE_*). */
mp_status mpi_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, int flags,
                         mp_solution **out);

/* ---- ranging (ranging.c) ---- */
/* For every binding row of an optimal LP plan, the range of its bound over
 * which the same rows bind (sol->rows[].range), by re-solving with the bound
 * moved on the same curves; at most a few dozen re-solves a row. */
mp_status mpi_range_rows(mp_solution *sol, const mp_solve_opts *opts);
/* A row as a planner names it: "the budget", "tf1-prime's max_spend", "cpa". */
void mpi_range_row_name(const mp_solution *sol, long r, mpi_lang lang, char *buf, size_t n);

/* ---- infeasibility (explain.c) ---- */
/* *why: "the budget of ... is below the sum of channel minimums ..." when
 * they are, else NULL (caller frees). */
mp_status mpi_explain_minimums(const mp_plan *plan, double budget, char **why);
/* Solve the elastic LP (every named row may bend, at a cost proportional to
 * the relative amount) and name the rows that had to bend (sol->explain). */
mp_status mpi_explain_infeasible(mp_solution *sol, const mp_solve_opts *opts);
/* Why a booked plan is infeasible though its relaxation is not: the booked
 * channels whose smallest booking is above the budget, and the constraints
 * the nearest booked plan must relax (explain.c). */
mp_status mpi_explain_booked(mp_solution *sol, const mp_solve_opts *opts);

/* Spend and results of a keyword group of a search channel. */
typedef struct mpi_group_total {
    int channel;
    const char *group; /* "" for keywords no rule matched */
    size_t keywords;
    double spend, clicks, conversions, revenue, impressions;
} mpi_group_total;
/* Totals by channel and group, in channel then group order; caller frees. */
mp_status mpi_group_totals(const mp_solution *sol, mpi_group_total **out, size_t *n);

/* Human label of the objective's unit: "conversions", "EUR", "kg CO2e" ... */
const char *mpi_kpi_unit(const mp_plan *plan, int q);
const char *mpi_result_str(int result);

#endif
