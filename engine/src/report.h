/* The report view: every figure and label that the terminal summary
 * (summary.c), the JSON result (json_report.c), the workbook (workbook.c)
 * and the public accessors (api.c) show, computed once from a solution, so
 * that each of them only renders it and they cannot disagree.
 *
 * A solution made by mp_plan_solve() carries its view (mpi_report_of()),
 * built when the solve ends and freed with the solution. What-if runs add a
 * view of each scenario against the base plan (mpi_whatif_report_build()),
 * built by the renderer that needs it.
 *
 * Units: money is in the plan's currency, shares are fractions (0.25 for
 * 25 %), marginal returns are objective units per currency unit. A figure that
 * does not exist is NAN (the JSON writes null, the workbook "n/a").
 *
 * Media families come from the registry (models/registry.c): the distinct
 * media of the models in registry order (search first, curve last today),
 * then "digital" and "offline". Nothing else lists them: loop to
 * mpi_media_family_count() for the registry's families and to
 * mpi_media_count() for all of them. */
#ifndef MPI_REPORT_H
#define MPI_REPORT_H

#include "solution.h"

/* A buffer for one line of words for the planner (a sentence from the
 * catalogue with its names and figures): the longest catalogue sentence,
 * French, fits about three times over (test_whole_lines checks it), so no
 * translation is ever cut. */
#define MPI_TEXT_MAX 2048

/* ---- media families ------------------------------------------------------ */

/* At most: one family a model, then digital and offline. */
#define MPI_MAX_MEDIA (MPI_MAX_MODELS + 2)

/* Families of the registry's models (distinct ops->media, in registry order). */
size_t mpi_media_family_count(void);
/* Those families, then "digital" and "offline". */
size_t mpi_media_count(void);
/* Name of family m (m < mpi_media_count()); NULL out of range. */
const char *mpi_media_name(size_t m);
/* Index of a family by name, or -1. */
long mpi_media_find(const char *name);
/* Index of a channel's family (its model's ops->media). */
size_t mpi_media_of(const mpi_channel *ch);
/* Index of "digital"; "offline" is the next one. */
size_t mpi_media_digital(void);
/* Spend of sol by family: media[mpi_media_count()], digital and offline
 * included; sol must have figures (optimal or time limit). */
void mpi_media_split(const mp_solution *sol, double *media);

/* ---- labels --------------------------------------------------------------- */

/* The objective as every report names it. */
typedef struct mpi_objective {
    const char *kpi;   /* "conversions", "revenue", ... when maximising; "cost" or "co2" when
                          minimising */
    const char *sense; /* "max" or "min" */
    const char *unit;  /* unit of its value: "conversions", "EUR", "kg CO2e" ... */
    int q;             /* its KPI (enum mpi_kpi; MPI_SPEND for cost) */
    /* The KPI a channel's return is counted in (marginal return, cost per
     * unit): the objective's when maximising, conversions when minimising. */
    int return_q;
} mpi_objective;
void mpi_objective_of(const mp_plan *plan, mpi_objective *out);
/* The unit of a min plan's marginal cost, one more unit of KPI q's target:
 * "GBP per conversion more" (q < 0: "per unit of the target more"). */
void mpi_marginal_cost_unit(const mp_plan *plan, int q, char *buf, size_t n);
/* The same in lang (the terminal's or the workbook's). */
void mpi_marginal_cost_unit_in(mpi_lang lang, const mp_plan *plan, int q, char *buf, size_t n);
/* What the certified bound bounds (mpi_certified_text's relaxed): the
 * plan's own optimum, from the LP's prices or from the relaxation's (a MIP);
 * or the best mean of any plan whose constraints hold on average only,
 * while the plan holds them in every draw (HELD), is chosen for the bad
 * draws (RISK), or both: that gap is the price of it, not a shortfall. */
enum mpi_bound_of {
    MPI_BOUND_LP,
    MPI_BOUND_RELAXED,
    MPI_BOUND_HELD,
    MPI_BOUND_RISK,
    MPI_BOUND_RISK_HELD,
    MPI_BOUND_BOOKED,     /* a booked plan: against the best plan with continuous spends */
    MPI_BOUND_GRID,       /* held to effective reach over several channels, booking nothing:
                             against the best plan held to a looser form of the floor */
    MPI_BOUND_BOOKED_WEAK /* a booked plan held to effective reach over several
                             channels: its bound holds that floor's Markov form only */
};
/* The certified gap as reports say it: "within 0.04 % of the exact optimum,
 * certified", the percentage rounded up to two significant digits (at most
 * two decimals from 0.01 %), so that the statement holds; relaxed (enum
 * mpi_bound_of) says what the bound is of. */
void mpi_certified_text(char *buf, size_t n, double gap, int relaxed);
/* A media family or channel type ("press") by its name in lang, as a
 * sentence says it (lower case: "presse", "recherche payante"); a name it
 * does not know as it is. */
const char *mpi_media_label(mpi_lang lang, const char *name);
/* The same as a table heads it ("Presse", "Recherche payante"). */
const char *mpi_media_heading(mpi_lang lang, const char *name);
/* The same in lang (the workbook's or the terminal's). */
void mpi_certified_text_in(mpi_lang lang, char *buf, size_t n, double gap, int relaxed);
/* max effective_reach's objective as a planner reads it: "effective reach
 * (3+ exposures) of tf1, meta" (effective.c). */
/* A plan held to effective reach over several channels, booking nothing:
 * its search's steps over every round ("570 search steps"), or where the
 * time limit stopped it (mpi_branch_text_in). */
void mpi_grid_steps_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol);
void mpi_effective_objective_label(mpi_lang lang, const mp_plan *plan, char *buf, size_t n);
/* The gap in percent, rounded up to two decimals or two significant digits: "0.08". */
void mpi_gap_pct_text(mpi_lang lang, char *buf, size_t n, double gap);
/* A booked plan's verdict (mip.c) in a planner's words, in lang: the best
 * plan that can be booked, or the best found in the time limit and how far
 * from the best bookable one it may be (branch and cut's gap), or none found;
 * "" for a plan that is not booked. */
void mpi_booked_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol);
/* Branch and cut's own verdict in lang: "optimal after 7 nodes", "stopped at
 * the time limit after 40 nodes"; "" for a plan not booked. */
void mpi_branch_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol);

/* ---- the view of one solution -------------------------------------------- */

/* What stops a channel from getting more money (limits.c). */
enum mpi_limit_reason {
    MPI_LIMIT_NONE,        /* on the margin: it returns what the budget earns */
    MPI_LIMIT_OWN_CAP,     /* its own max_spend / fixed_spend, or a cap on it alone */
    MPI_LIMIT_ROW,         /* a constraint on several channels (share, CPA, ROAS, spend) */
    MPI_LIMIT_SATURATION,  /* its next euro returns less than the budget earns */
    MPI_LIMIT_BID_CEILING, /* search: every curve bid up to the ceiling */
    MPI_LIMIT_CURVE_END,   /* every curve at its end: nothing more to buy */
    MPI_LIMIT_TIME_LIMIT,  /* the time limit left the plan spending nothing */
    MPI_LIMIT_COUNT
};
/* "none", "own_cap", "row", "saturation", "bid_ceiling", "curve_end". */
const char *mpi_limit_reason_str(int reason);

typedef struct mpi_report_limit {
    int reason;              /* enum mpi_limit_reason; MPI_LIMIT_NONE without a plan */
    const char *row;         /* the row named (row, own_cap), or NULL */
    char text[MPI_TEXT_MAX]; /* in a planner's words: "first euro returns 5.14 conv/kEUR, ..." */
} mpi_report_limit;

/* Where a channel's curves stand at the plan's spends (limits.c). */
typedef struct mpi_curve_state {
    size_t n;          /* curves with something to buy */
    size_t at_end;     /* of those, bought to their end */
    size_t at_ceiling; /* of those at their end, cut by a bid ceiling */
    double ceiling;    /* the highest such ceiling (currency) */
    double ceiling_lo; /* and the lowest (keyword groups may have their own) */
} mpi_curve_state;

/* One channel, in plan order. */
typedef struct mpi_report_channel {
    const mpi_channel *ch; /* the plan's channel (CO2 factor, sources ...) */
    const char *name;
    const char *type;   /* the model's type ("search", "tv" ...), as the JSON says */
    const char *media;  /* its media family, as the summary and workbook say */
    size_t media_index; /* into mpi_report.media */
    int digital;
    double kpi[MPI_NKPI];   /* campaign totals; reach is the channel's own */
    double spend;           /* = kpi[MPI_SPEND] */
    double share;           /* of the plan's spend; 0 when the plan spends nothing */
    double marginal;        /* objective per currency unit at the margin; NAN when saturated */
    double eff_marginal;    /* people reached k+ times more by the plan's effective-reach
                               floor per currency unit more (eff_marginal_k); NAN without */
    double tail_marginal;   /* a plan chosen for the bad draws that leaves a channel out:
                               its next euro's return in the draws its measure weighs
                               (tail.c); NAN otherwise */
    double per_return;      /* spend per unit of the return KPI (CPA for conversions); NAN
                               when it brings none */
    double cpa;             /* spend per conversion; NAN without conversions */
    double roas;            /* revenue per unit of spend; NAN without spend */
    int eff_freq;           /* its effective frequency (0: none reported) */
    double eff_reach;       /* people reached eff_freq times (effective.c); NAN without */
    mpi_report_limit limit; /* what stops it from getting more (limits.c) */
    mpi_curve_state curves; /* its curves, as the limits read them (limits.c) */
} mpi_report_channel;

/* A media family; the last two are digital and offline. */
typedef struct mpi_report_media {
    const char *name;
    int present; /* a channel of the plan is of this family; always 1 for digital, offline */
    double spend, share;
} mpi_report_media;

/* A period of the plan. */
typedef struct mpi_report_period {
    char start[16]; /* "YYYY-MM-DD" */
    double spend;   /* all channels */
} mpi_report_period;

/* Keyword group totals of a search channel, in channel then group order. */
typedef struct mpi_report_group {
    const char *channel;
    const char *name; /* "" for keywords no rule matched */
    size_t keywords;
    double spend, clicks, conversions, revenue, impressions;
    double cpa; /* NAN without conversions */
} mpi_report_group;

/* A constraint as reported: the plan's and the implicit ones (budget,
 * periods, channel limits) in LP order; reach links, which are the LP's own
 * rows, are left out. */
typedef struct mpi_report_row {
    const char *name; /* the plan's constraint name, or the row's ("budget", "max_spend_tv") */
    const char *expr; /* the constraint's text, or what the row says ("spend <= 450,000 EUR") */
    const char *op;   /* "<=", ">=" or "=" */
    int kind;         /* enum mpi_row_kind */
    int ref;          /* the LP row's channel, period or constraint index */
    const mpi_constraint *cons; /* the plan's constraint; NULL for implicit rows */
    double value;               /* the measure at the plan (currency, fraction, KPI unit) */
    double bound;
    int binding;
    double dual; /* d objective / d right-hand side of the LP row; NAN after a MIP */
    /* the shadow price: objective change per one unit of the bound in the
     * bound's own unit (a percentage point of a share or ROAS, one currency
     * unit of a CPA cap, 1,000 of currency for spends, one KPI unit, 1,000
     * impressions or people, a point of universe, a tonne of CO2e); NAN
     * where dual is */
    double shadow;
    double price;  /* the shadow price per unit of the LP row (dual's scale) */
    char per[48];  /* that unit: "percentage point", "EUR of the cap", "1,000 EUR" */
    char unit[96]; /* the shadow price's: "conversions per percentage point" */
    char step[48]; /* one unit more in a planner's words: "each point more", "1 kEUR more" */
    /* the right-hand side of the LP row solved: the bound in the row's terms,
     * moved where the exact figures needed it (exact_rows.c) */
    double lp_rhs;
    /* The range of the bound over which the same rows bind (ranging.c), in
     * the bound's own unit: percentage points of a share or ROAS, else as
     * bound; [0] the lower end, [1] the upper one, NAN where open or when
     * the row has no range (range_why MPI_END_NONE). */
    double range[2];
    int range_why[2];         /* enum mpi_range_end */
    const char *range_row[2]; /* the row a BINDS or RELEASES end names, as `name`; else NULL */
    char range_phrase[2][96]; /* that row as a planner names it: "the budget", "tv's max_spend" */
    long range_lprow[2];      /* that row's LP row, else -1 */
    /* the channel a CHANNEL_CAP, CURVE_END or BID_CEILING end names, else
     * NULL; its keyword group when the row counts that group only, else NULL;
     * the bid ceiling reached (currency, NAN for the others) */
    const char *range_channel[2];
    const char *range_group[2];
    double range_ceiling[2];
    int range_too_large; /* binding, but no range: the plan is too large to range */
} mpi_report_row;

typedef struct mpi_report {
    const mp_solution *sol;
    const mp_plan *plan;
    /* labels */
    mpi_objective obj;
    const char *status;       /* "optimal", "infeasible", "unbounded", "time_limit" */
    char start[16];           /* the plan's first day, "YYYY-MM-DD" */
    const char *period_unit;  /* "week" or "month" */
    const char *period_units; /* "weeks" or "months" */
    const char *budget_mode;  /* "exact" or "cap" */
    /* Whether the solution has figures (optimal, or a plan at the time
     * limit). Without, every figure below is NAN and the groups and rows are
     * empty; channels, media and periods keep their names. */
    int solved;
    double objective;    /* the exact model's, at the plan's spends */
    double lp_objective; /* the piecewise-linear model's (the LP's), at the same spends */
    /* The certified bound on the exact optimum (an upper bound when
     * maximising, a lower one when minimising) and the gap |bound -
     * objective| / |bound|; NAN without them. */
    double bound, gap;
    int bound_relaxed; /* the bound is from the LP relaxation's prices (a MIP plan) */
    int bound_of;      /* enum mpi_bound_of */
    /* "within 0.04 % of the exact optimum, certified": what the summary and
     * the workbook say of the gap (rounded up, so that it holds). */
    char certified[MPI_TEXT_MAX];
    double kpi[MPI_NKPI]; /* totals; reach de-duplicated (summed without a universe) */
    /* The KPIs the plan measures: some channel's curves yield KPI q (spend
     * always). The terminal's kpis line and the Summary's table list these
     * alone; one measured that comes out 0 is listed, its 0 a result. */
    unsigned char measured[MPI_NKPI];
    double reach_dedup;  /* people, independent duplication; NAN without a universe */
    double reach_summed; /* people, the channels' reach added up */
    int eff_freq;        /* [plan] effective_frequency (0: none reported) */
    int eff_any;         /* the plan or a channel asks for effective reach */
    double eff_reach;    /* people reached eff_freq times over all channels; NAN without */
    /* the k of the effective-reach floor a min plan's channels are priced by
     * (their marginal column: eff_marginal), 0: by the return KPI */
    int eff_marginal_k;
    double total_spend; /* = kpi[MPI_SPEND] */
    mpi_report_channel *ch;
    size_t nch;
    mpi_report_media *media;  /* [mpi_media_count()] */
    size_t nmedia, nfamilies; /* all families; the registry's (digital is at nfamilies) */
    mpi_report_period *period;
    size_t nperiods;
    mpi_report_group *group;
    size_t ngroups;
    mpi_report_row *row;
    size_t nrows;
} mpi_report;

/* Channel c's marginal column, per currency unit: the people its
 * effective-reach floor gains (eff_marginal_k), else its marginal return. */
double mpi_report_marginal(const mpi_report *r, size_t c);

/* Each channel's tail_marginal (tail.c): NAN unless the plan was chosen
 * for the bad draws (risk = cvar or worst) and leaves a channel out. */
mp_status mpi_report_tails(mpi_report *r);
/* Whether sol's budget of period t binds (report.c). */
int mpi_period_capped(const mp_solution *sol, size_t t);
/* Each channel's limit, from the rows' prices and the curves (limits.c);
 * r's channels and rows are filled. */
void mpi_report_limits(mpi_report *r);
/* "channel "tf1" cannot be booked within the budget: its smallest booking, 2 weeks
 * in a row (min_burst) of at least 40 GRP each (min_grp), costs 120,000 EUR,
 * above the budget of 100,000 EUR", in l; "" when channel c is not booked
 * or its smallest booking fits the budget (booking.c). */
void mpi_booked_dear_text(const mpi_model *m, int c, double budget, mpi_lang l, char *buf,
                          size_t n);
/* A warning for each booked channel of sol whose smallest booking is above
 * the budget (booking.c). */
mp_status mpi_booked_warn_dear(mp_solution *sol);
/* "unspent: 1,000 EUR of the budget, less than the next step of any booked
 * channel: the next spot of tf1 costs 7,000 EUR; ...": why a booked plan
 * maximising leaves money unspent, when every booked channel's next step
 * (a spot, an insertion, one more period on air) costs more than is left;
 * a plan not booked: mpi_unspent_rows_text; "" otherwise (booking.c). */
void mpi_unspent_text(const mpi_report *r, mpi_lang l, char *buf, size_t n);
/* The binding rows that keep a plan maximising from spending its whole
 * budget, the one that explains it best first (a constraint over several
 * channels before a channel's own cap, then the larger price), at most two:
 * their LP rows in rows, how many returned (stopper.c). */
size_t mpi_budget_stoppers(const mp_solution *sol, size_t rows[2]);
/* LP row r's name as the JSON's constraints name it: "cpa", "max_spend_meta". */
const char *mpi_stopper_name(const mp_solution *sol, size_t r);
/* rows[0..k) in a planner's words, in l: "cpa and meta's max_spend"; with
 * with_bound, a constraint with its expression and, when it must hold in
 * every draw, its worst draw, two joined by "or" (what more spend would
 * break). */
void mpi_stoppers_words(const mp_solution *sol, const size_t *rows, size_t k, int with_bound,
                        mpi_lang l, char *buf, size_t n);
/* The budget a plan maximising leaves unspent (currency), 0 when it spends
 * it (within half a unit) or is the time limit's plan spending nothing. */
double mpi_unspent_amount(const mpi_report *r);
/* The rows that stop the rest being spent (mpi_budget_stoppers), 0 when
 * none does or the plan is booked (mpi_unspent_text says why). */
size_t mpi_unspent_rows(const mpi_report *r, size_t rows[2]);
/* "65,170 EUR of the budget left unspent: spending it would break cpa (cpa
 * <= 38) (held in every draw; worst: draw 278 of 400) or meta's max_spend";
 * "" when the budget is spent, or for a booked plan. */
void mpi_unspent_rows_text(const mpi_report *r, mpi_lang l, char *buf, size_t n);
/* What "binding" means in a booked plan, as the terminal, the workbook and
 * the README say it: at its bound, since whole units leave no prices. */
#define MPI_BOOKED_BINDING                                                                         \
    N_("booked plan: a constraint binds when the plan is at its bound, or when one spot or "       \
       "insertion fewer (more, under a cap) would break it (whole spots, insertions and flights "  \
       "leave no price for one unit more of it)")
/* Whether sol is a booked plan each of whose booked channels' next step
 * costs more than left (booking.c). */
int mpi_booked_steps_above(const mp_solution *sol, double left);
/* Whether channel c of a booked plan is booked in no period (limits.c). */
int mpi_booked_off(const mpi_report *r, size_t c);
/* The return KPI's short unit per k-currency in lang: "conv/kEUR", "EUR/kEUR". */
void mpi_return_unit(const mpi_report *r, mpi_lang lang, char *buf, size_t n);

/* Build the view of sol (any result). MP_ERR_NOMEM when out of memory. */
mp_status mpi_report_build(const mp_solution *sol, mpi_report **out);
/* NULL-safe. */
void mpi_report_free(mpi_report *r);
/* The view of a solution from mp_plan_solve(); NULL for NULL or for a
 * what-if scenario's working solution. */
const mpi_report *mpi_report_of(const mp_solution *sol);

/* KPI q of channel c in period t; reach is NAN (a campaign figure, not a sum
 * of periods), and so is everything without figures or out of range. */
double mpi_report_period_kpi(const mpi_report *r, size_t c, size_t t, int q);
/* Keyword row k (0 <= k < mpi_report_keyword_count()): its inputs from the
 * export, and its results in *res. NULL out of range. Keyword rows are read
 * from the solution, not copied: there may be a million. */
size_t mpi_report_keyword_count(const mpi_report *r);
const mpi_keyword *mpi_report_keyword(const mpi_report *r, size_t k, const mpi_kw_result **res);
/* The channel of keyword row k. */
const char *mpi_report_keyword_channel(const mpi_report *r, size_t k);

/* ---- the plan in words, in a chosen language (words.c, limits.c) ---- */
/* A figure with three significant digits, as the binding lines print
 * prices: 2 decimals below 10, 1 below 100, none above, the decimals chosen
 * on the rounded figure ("9.99", "10.0", "99.9", "100"). */
void mpi_fmt_sig3(mpi_lang lang, char *b, size_t n, double v);
/* row as a planner reads it in lang: its left-hand side as the plan writes
 * it (French decimal commas), its bound in lang's numbers and unit:
 * "share(tv, radio, press) >= 30 %", "spend(search:competitor) <= 2 000
 * EUR", "cpa <= 65 EUR"; a bound written in % stays in %. A row that is no
 * comparison with an amount (an implicit row's sentence) as it is. */
void mpi_row_reading(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                     size_t n);
/* row as the plan file writes it: a constraint's expression; the budget,
 * a period's budget or a channel's min_spend, max_spend or fixed_spend as
 * its key and value ("budget = 450k", "[channel \"meta\"] min_spend =
 * 45k"); a bound the run set itself (a --vary budget) as mpi_row_reading. */
void mpi_row_as_written(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                        size_t n);
/* What happens at end k (0 lower, 1 upper) of row's range, as a planner
 * says it after "where": "cpa takes over", "it stops binding", "the plan
 * becomes infeasible"; "" at the bound's own limit, without a range or with
 * no end found. */
void mpi_range_end_text(const mpi_report *r, const mpi_report_row *row, int k, mpi_lang lang,
                        char *buf, size_t n);
/* A binding row in words: its bound ("competitor-cap <= 2,000 EUR", "the
 * budget of 450,000 EUR", "meta's max_spend of 250,000 EUR": a row the
 * plan's keys make by them, never by its LP name) in bound, and what one unit more of it is worth
 * and over which range
 * (" — 1 kEUR more brings 8.69 conversions (true up to …)") in rest. */
void mpi_binding_words(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *bound,
                       size_t nb, char *rest, size_t nr);
/* The terminal's binding line: "limit reached: the budget of 450,000 EUR — …". */
void mpi_binding_line(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                      size_t n);
/* What stops channel c, as mpi_report_limit.text says it in English. */
void mpi_limit_text_in(const mpi_report *r, size_t c, mpi_lang lang, char *buf, size_t n);
/* Whether channel c has a limit line of its own (not just "on the margin"). */
int mpi_limit_own_line(const mpi_report_channel *ch);
/* The channels on the margin in one sentence, with their marginal returns
 * beside the budget's: "on the margin: meta, tv (next euro returns 8.31 to
 * 9.01 conv/kEUR; the budget 8.69)"; "" when there are none. */
void mpi_margin_line(const mpi_report *r, mpi_lang lang, char *buf, size_t n);
/* What the spread means: "no shift of money between channels gains more
 * than 0.08 % (the plan's certified precision)"; "" without a gap. */
void mpi_margin_precision(const mpi_report *r, mpi_lang lang, char *buf, size_t n);
/* One unit of row o's bound: its scale against the row's terms (returned),
 * its name (per: "percentage point") and one unit more ("each point more"). */
double mpi_row_unit_words(const mpi_report *r, const mpi_report_row *o, mpi_lang lang, char *per,
                          size_t nper, char *step, size_t nstep);
/* The shadow price's unit: "conversions per percentage point". */
void mpi_shadow_unit_in(const mpi_report *r, const mpi_report_row *o, mpi_lang lang, char *buf,
                        size_t n);
/* The text of an end where the row's channel can take no more, in lang:
 * "tv reaches its cap", "its competitor keywords reach their 2.50 EUR bid
 * ceiling"; "" for the other ends (ranging.c). */
void mpi_range_limit_text(const mpi_report *r, const mpi_report_row *row, int k, mpi_lang lang,
                          char *buf, size_t n);

/* ---- what-if runs ------------------------------------------------------------ */

struct mpi_scen;

/* A scenario against the base plan. */
typedef struct mpi_report_scenario {
    const struct mpi_scen *s; /* its figures: status, objective, kpi, spend, media, marginal */
    const char *status;
    int solved;             /* it has a plan; without, the arrays below are NAN */
    double *share;          /* [nch] channel share of the scenario's spend */
    double *media_share;    /* [nmedia] */
    double delta_objective; /* against the base plan; NAN when either has no plan */
    double change;          /* objective / base objective - 1 (0 when the base's is 0);
                               NAN when either has no plan */
    double *delta_spend;    /* [nch] spend minus the base plan's; NAN as above */
    double *delta_media;    /* [nmedia] */
    /* What the scenario's money buys (whatif_view.c): spend per unit of the
     * return KPI (per_return, the CPA when it is conversions), per
     * conversion, revenue per unit of spend; by channel spend per click
     * (cpc) and per conversion (cpa); NAN where the divisor is 0 or the
     * scenario has no plan */
    double per_return, cpa, roas;
    double *cpc, *ch_cpa; /* [nch] */
    /* max plans: the budget that would buy the change of the objective
     * against the base at the base plan's marginal return (delta_objective
     * / its budget price, currency); NAN in min plans, without a price or
     * without both plans */
    double budget_equivalent;
} mpi_report_scenario;

typedef struct mpi_whatif_report {
    const mpi_report *base; /* the base plan's view (owned by the run's solution) */
    mpi_report_scenario *scen;
    size_t n, nch, nmedia;
    double *store; /* the arrays of every scenario, in one block */
} mpi_whatif_report;

mp_status mpi_whatif_report_build(const mp_whatif *w, mpi_whatif_report *out);
/* Fill o's per_return, cpa, roas, cpc, ch_cpa and budget_equivalent from
 * its scenario, its delta_objective set (b: the base plan's view, NULL
 * without a plan) (whatif_view.c). */
void mpi_scenario_buys(const mp_whatif *w, const mpi_report *b, mpi_report_scenario *o);
/* NULL-safe; leaves out empty. */
void mpi_whatif_report_free(mpi_whatif_report *r);

#endif /* MPI_REPORT_H */
