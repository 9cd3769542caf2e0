/* The plan: the brief, its channels and constraints, as loaded from a plan
 * file (plan.c) and its constraint expressions (expr.c). */
#ifndef MPI_PLAN_H
#define MPI_PLAN_H

#include "models.h"

/* A parsed constraint expression: measure(list) op value. */
enum mpi_measure { MPI_M_KPI, MPI_M_SHARE, MPI_M_CPA, MPI_M_ROAS };
typedef struct mpi_expr {
    int measure;        /* enum mpi_measure */
    int kpi;            /* for MPI_M_KPI */
    unsigned char *in;  /* in[c] != 0 when channel c is in the list; NULL means all */
    unsigned char *ing; /* ing[c * ngroups + g]: group g of channel c is in the list, or NULL */
    size_t ngroups;
    int op;
    double value; /* in base units: currency, kg, fraction, people */
    /* effective_reach(channel): its frequency k (0: another measure) and
     * its one channel; the LP row counts the channel's impressions
     * (kpi MPI_IMPRESSIONS), its bound the impressions that reach value
     * people k times (mpi_expr_rhs) */
    int eff_k;
    size_t eff_ch;
    /* effective_reach(a, b) over 2 or 3 channels (the plan's k): their
     * people reached k times together, held on a grid of the booked MIP
     * (mip.c); the LP row is its Markov bound, their impressions >= k value */
    int eff_multi;
    int unjudged; /* reads what was refused (a failed channel's keyword group or reach, the
                   * universe, the effective frequency): not judged, its error is listed */
} mpi_expr;

/* Where a constraint on an uncertain outcome must hold: as the plan says
 * (the constraint's default), in expectation or in every draw (hold.c). */
enum mpi_hold { MPI_HOLD_PLAN = 0, MPI_HOLD_MEAN, MPI_HOLD_ALL };

typedef struct mpi_constraint {
    char *name;
    char *text;
    int line;
    mpi_expr e;
    int must_hold, must_hold_line; /* enum mpi_hold and its key's line (0: not given) */
} mpi_constraint;

/* A raw key = value of the plan, echoed in the Assumptions sheet. */
typedef struct mpi_kv {
    char *section, *key, *value;
    size_t value_len, value_cap; /* continuation lines append in place, in linear time */
    int line;
    int refused; /* its value was refused (its error is listed): what reads it is not judged */
} mpi_kv;

struct mp_plan {
    char *path, *dir;
    char *co2_path; /* CO2e factor dataset, or NULL */
    /* The planner's current plan ([plan] baseline, baseline_load.c): its
     * file (NULL: none), the key's line, and its spend in currency per
     * channel and period, baseline[c * periods + t] (NULL until read). */
    char *baseline_path;
    int baseline_line;
    double *baseline;
    char *name, *client, *currency;
    double budget;
    int budget_exact; /* 1: spend all of it (= row), 0: cap */
    long start;       /* days since 1970-01-01 */
    int periods, period_kind;
    int obj_sense; /* +1 maximise, -1 minimise */
    int obj_kpi;   /* MPI_SPEND for "min cost" */
    /* max effective_reach(channel) (effective_obj.c): the measure as written
     * and its line; the objective is then held by constraint obj_eff_cons
     * ("objective", its channel's impressions at their most), obj_kpi (reach)
     * choosing among the plans that reach it */
    int obj_eff;
    char *obj_eff_text;
    int obj_eff_line;
    size_t obj_eff_cons;
    double precision; /* relative tolerance of the curves */
    double gap;       /* certified optimality gap to reach (bound.h), a fraction */
    int gap_set;      /* the gap was asked for ([plan] gap or --gap), not the default */
    int lang;         /* the workbook's mpi_lang ([plan] language or --lang) */
    double universe;  /* target population, people (0: unset) */
    /* effective frequency: the exposures that count a person as reached
     * effectively ([plan] and each channel's effective_frequency; 0 unset,
     * a channel's 0 takes the plan's), reported only (effective.c) */
    int eff_freq;
    int eff_freq_ch[MPI_MAX_CHANNELS];
    double search_inflation; /* default yearly CPC inflation for search channels */
    double *weight;          /* [periods] seasonality weights */
    double *period_cap;      /* [periods] budget cap per period, INFINITY if none */
    int count_after;         /* periods after the plan whose carried response counts */
    int count_after_line;    /* its line in the plan (0: not given) */
    /* Uncertain curves (draws.c): [plan] risk (enum mpi_risk) and draws =
     * aligned | independent, with their lines (0: not given). */
    int risk, risk_line;
    double risk_level; /* cvar: the worst share of the draws' weight averaged (0.1 for 10%) */
    int draws_independent, draws_line;
    /* Aligned draws files crossed with ranges (uncertain.c): the files' draws
     * (draw p * n + d is file draw d with the ranges' point p), else 0. */
    size_t draws_crossed;
    int must_hold, must_hold_line; /* [plan] must_hold: enum mpi_hold (MEAN or ALL) */
    long *period_start;            /* [periods+1] day numbers; last = end (exclusive) */
    mpi_channel *ch;
    size_t nch;
    mpi_constraint *cons;
    size_t ncons;
    mpi_kv *kv;
    size_t nkv, kvcap;
    mpi_diag diag;      /* warnings and notes for the planner */
    mpi_strlist groups; /* keyword group names over all search channels */
    mpi_strlist inputs; /* every file read: plan, datasets (mp_plan_input) */
    mpi_model_ctx mctx; /* what the media models see of the plan */
    /* Errors listed while loading (mp_plan_check): up to max_errors (0 or 1:
     * the load stops at the first), the status of the first. */
    mpi_strlist errors;
    size_t max_errors;
    mp_status first_error;
};

/* Resolve path relative to the plan file's directory; caller frees. */
char *mpi_plan_path(const mp_plan *plan, const char *rel);

/* Read plan->baseline_path into plan->baseline (channels and periods are
 * known); errors name the file, line and field, and key locates the plan's
 * key when the file cannot be read. */
mp_status mpi_baseline_load(mp_plan *plan, const mpi_loc *key);

/* ---- carryover (adstock.c) -------------------------------------------- */

/* Check the channels' adstock keys and read each history file into the
 * channel's carry_in (the channels and periods are known). */
mp_status mpi_adstock_load(mp_plan *plan);
/* Whether any channel of the plan carries over. */
int mpi_plan_has_adstock(const mp_plan *plan);

/* ---- uncertain curves (draws.c) ------------------------------------------ */

/* What the plan optimises over the draws: their mean, the mean of the worst
 * risk_level of them (conditional value at risk) or the worst draw (risk.c). */
enum mpi_risk { MPI_RISK_MEAN = 0, MPI_RISK_CVAR, MPI_RISK_WORST };
/* must_hold = all | mean into *out (enum mpi_hold). */
mp_status mpi_must_hold_value(const mpi_loc *loc, const char *v, int *out);
/* [plan] risk, draws and must_hold. */
mp_status mpi_draws_plan_key(mp_plan *plan, const mpi_loc *loc, const char *v);
/* Check that aligned channels have as many draws, with the same weights. */
mp_status mpi_draws_load(mp_plan *plan);
/* Whether a channel of the plan has draws. */
int mpi_plan_has_draws(const mp_plan *plan);

/* ---- flights, spots and insertions (flights.c) ------------------------- */

/* Whether k is one of the booking keys (min_grp, flight, max_active_periods,
 * min_burst, spot_cost, grp_per_spot, min_spend_active, continuous). */
int mpi_booking_key(const char *k);
/* The booking keys channel ch takes (tv and radio: flights and spots; press:
 * continuous), NULL-terminated, or NULL: for did-you-mean suggestions. */
const char *const *mpi_booking_keys(const mpi_channel *ch);
/* Read a booking key of ch; a key its media type does not take is refused. */
mp_status mpi_booking_set(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc, const char *v);
/* spot_cost and grp_per_spot come together: checked before the channel's
 * model, whose cpp they set (else tv would say it needs cpp first). */
mp_status mpi_booking_check_spots(const mp_plan *plan, const mpi_channel *ch);
/* Check the channels' booking keys and read their flights (the periods are known). */
mp_status mpi_flights_load(mp_plan *plan);
int mpi_channel_airtime(const mpi_channel *ch); /* tv, radio */
int mpi_channel_press(const mpi_channel *ch);
/* Whether ch needs integer columns: a flight key, whole spots or insertions. */
int mpi_channel_booked(const mpi_channel *ch);
void mpi_booking_free(mpi_booking *b);

/* ---- constraint expressions (expr.c) ----------------------------------- */

/* Parse "share(tv, radio) >= 30%"; channel names and media types resolved on plan. */
mp_status mpi_expr_parse(const mp_plan *plan, const char *text, const mpi_loc *loc, mpi_expr *e);
void mpi_expr_free(mpi_expr *e);
/* The KPI e's bound counts in, for its unit: people for effective_reach
 * (whose LP row counts impressions), else its KPI. */
static inline int mpi_expr_bound_kpi(const mpi_expr *e)
{
    return e->eff_k > 0 ? MPI_REACH : e->kpi;
}
/* A count of people that a reach or effective_reach bound written in %
 * (text, the constraint as written) measures, in the brief's unit too: " (16.3 %)"
 * of the universe into buf, in lang; "" for any other measure or bound. */
void mpi_reach_share_suffix(mpi_lang lang, const mp_plan *plan, const mpi_expr *e, const char *text,
                            double people, char *buf, size_t n);
/* Whether a curve of channel (and keyword group, or -1) is in e's list. */
int mpi_expr_has(const mpi_expr *e, int channel, int group);
/* A value in the unit of e's measure (share %, currency, tonnes, reach %...). */
int mpi_expr_value(const mp_plan *plan, const mpi_expr *e, const char *text, double *out,
                   const char **why);
/* How to write a refused bound text of e (mpi_num_hint), into buf; or NULL. */
const char *mpi_expr_hint(const mp_plan *plan, const mpi_expr *e, const char *text, char *buf,
                          size_t size);
const char *mpi_op_str(int op);

/* ---- de-duplicated reach (expr.c) ---------------------------------------- */

/* Whether the LP works on reach in its log form: the plan has a universe and
 * its objective or a reach constraint spans several channels with reach (one
 * channel's reach is its own; the form is then the plain one, as before). */
int mpi_reach_log(const mp_plan *plan);
/* Channels with a reach curve in e's list (e NULL: all of the plan's). */
size_t mpi_reach_channels(const mp_plan *plan, const mpi_expr *e);
/* -ln(1 - r / universe): a channel's reach r (people) as a term of the log
 * form, capped where 1 - r / universe falls below 1e-12 (MPI_REACH_LOG_MAX). */
double mpi_reach_term(const mp_plan *plan, double r);
#define MPI_REACH_LOG_MAX 27.631021115928547 /* -ln(1e-12) */
/* People reached from a sum s of log-form terms: universe (1 - e^-s). */
double mpi_reach_people(const mp_plan *plan, double s);
/* The right-hand side of e's LP row at bound value: the bound itself, 0 for
 * share, CPA and ROAS rows (their bound is in the coefficients), and a reach
 * bound's log form when the plan has it. */
double mpi_expr_rhs(const mp_plan *plan, const mpi_expr *e, double value);
/* The line of key in the plan's [kind "name"] section (name NULL: any of
 * that kind), 0 when it is not given: for messages about a key checked after
 * the load. */
int mpi_plan_key_line(const mp_plan *plan, const char *kind, const char *name, const char *key);
/* The value of that key as the plan file writes it ("450k"), or NULL. */
const char *mpi_plan_key_value(const mp_plan *plan, const char *kind, const char *name,
                               const char *key);
/* Whether that key was given and refused as the plan was read (its error is
 * listed): a check that reads it would only repeat that error in other words. */
int mpi_plan_key_refused(const mp_plan *plan, const char *kind, const char *name, const char *key);
/* Why the plan's reach cannot be de-duplicated or spread over exposures (a
 * reach row or the objective over several channels without a universe, an
 * effective frequency without one, or a channel that reaches more people
 * than the universe where reach is de-duplicated or an effective frequency
 * is asked), as a failed status naming the key's file and line; MP_OK when
 * it can. */
mp_status mpi_reach_check(const mp_plan *plan);
/* An effective frequency: a whole number of exposures from 1 to
 * MPI_MAX_FREQUENCY. */
#define MPI_MAX_FREQUENCY 50
mp_status mpi_get_frequency(const char *v, const mpi_loc *loc, int *out);
/* The effective frequency channel c is reported at (c (size_t)-1: the
 * plan's total); 0 when none (no universe, no key, a channel without reach). */
int mpi_effective_frequency(const mp_plan *plan, size_t c);
/* Channel c's effective reach at k (people reached at least k times) when
 * it buys imp impressions over the campaign (effective.c). */
double mpi_effective_at(const mp_plan *plan, size_t c, int k, double imp);
/* The fewest campaign impressions of channel c whose effective reach at k is
 * at least people (bisection; INFINITY past the most it can reach). */
double mpi_effective_exposures(const mp_plan *plan, size_t c, int k, double people);
/* P(0) .. P(k - 1) of a person's exposures to channel c when it buys imp
 * impressions over the campaign. */
void mpi_effective_pmf(const mp_plan *plan, size_t c, int k, double imp, double *p);
/* The people the nch channels ch[] reach at least k times together, each
 * buying imp[q] impressions (exposures independent across channels). */
double mpi_effective_together(const mp_plan *plan, const size_t *ch, size_t nch, int k,
                              const double *imp);
/* The grid's levels per channel of an effective_reach row over n channels
 * (200 for two, 40 for three: 40,401 and 68,921 corners); 0 past MPI_EFF_GRID_MAX channels. */
#define MPI_EFF_GRID_MAX 3
int mpi_effective_grid_levels(size_t n);
/* Whether a constraint is effective_reach over several channels (mip.c). */
int mpi_plan_eff_grid(const mp_plan *plan);
/* The most channel c reaches k times, however much it buys. */
double mpi_effective_most(const mp_plan *plan, size_t c, int k);
/* The impressions where channel c's effective reach at k first falls as it
 * buys more, on grids of 4,000 levels over its rise and over the budget's
 * worth; NAN when it never does there (a bound on it is then one on its
 * impressions). */
double mpi_effective_falls(const mp_plan *plan, size_t c, int k);

#endif /* MPI_PLAN_H */
