/* Why not more of this channel (report.h, mpi_report_limits): what stops
 * each channel from getting more money, read from the rows' prices (their
 * duals, which every LP core has), the channel's own bounds, its marginal
 * return as the report states it, and where its curves end. Never from the
 * LP's matrix: a row's effect on a channel comes from the constraint's own
 * terms (which channels, which measure, which direction). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Relative difference between a channel's marginal return and the budget's
 * under which the channel counts as on the margin. */
#define MARGIN_TOL 0.01

static const char *const reason_names[MPI_LIMIT_COUNT] = {
    "none", "own_cap", "row", "saturation", "bid_ceiling", "curve_end", "time_limit"};

const char *mpi_limit_reason_str(int reason)
{
    return reason >= 0 && reason < MPI_LIMIT_COUNT ? reason_names[reason] : "none";
}

void mpi_return_unit(const mpi_report *r, mpi_lang lang, char *buf, size_t n)
{
    static const char *const short_names[MPI_NKPI] = {"", N_("impr"), N_("clicks"), N_("conv"),
                                                      "", N_("GRP"),  N_("people"), N_("kg")};
    const char *cur = r->plan->currency;
    int rq = r->obj.return_q;
    const char *unit = rq == MPI_REVENUE  ? cur
                       : *short_names[rq] ? mpi_tr(lang, short_names[rq])
                                          : "";
    snprintf(buf, n, "%s/k%s", unit, cur);
}

void mpi_fmt_sig3(mpi_lang lang, char *b, size_t n, double v)
{
    /* the decimals of the figure once rounded: 9.99995 is "10.0", not "10.00" */
    int d = 2;
    char t[64];
    for (; d > 0; d--) {
        snprintf(t, sizeof t, "%.*f", d, fabs(v));
        if (strtod(t, NULL) < (d == 2 ? 10 : 100))
            break;
    }
    mpi_fmt_num(lang, b, n, v, d);
}

typedef mpi_curve_state curve_state;

/* Add curve cv to cs when it has something to buy. */
static void curve_state_add(const mp_solution *sol, const mpi_curve *cv, curve_state *cs)
{
    double end = mpi_curve_end(cv);
    if (!(end > 0))
        return;
    double x = mpi_curve_spend(sol, cv);
    cs->n++;
    if (x < end * (1 - 1e-6))
        return;
    cs->at_end++;
    if (cv->ceiling > 0 && mpi_curve_ceiling_spend(&sol->model, cv) <= end * (1 + 1e-6)) {
        cs->ceiling_lo = cs->at_ceiling++ ? fmin(cs->ceiling_lo, cv->ceiling) : cv->ceiling;
        cs->ceiling = fmax(cs->ceiling, cv->ceiling);
    }
}

/* Channel c's curves; those in skip's list left out. */
static void curve_state_of(const mp_solution *sol, size_t c, const mpi_expr *skip, curve_state *cs)
{
    const mpi_model *m = &sol->model;
    memset(cs, 0, sizeof *cs);
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (cv->channel == (int)c && !(skip && mpi_expr_has(skip, (int)c, cv->group)))
            curve_state_add(sol, cv, cs);
    }
}

/* Every channel's curves in one pass over them (r->ch[c].curves). */
static void channel_curve_states(mpi_report *r)
{
    const mpi_model *m = &r->sol->model;
    for (size_t c = 0; c < r->nch; c++)
        memset(&r->ch[c].curves, 0, sizeof r->ch[c].curves);
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (cv->channel >= 0 && (size_t)cv->channel < r->nch)
            curve_state_add(r->sol, cv, &r->ch[cv->channel].curves);
    }
}

/* A binding row that matters: moving it by the whole budget would change
 * the objective (the binding lines' "at no cost" test); after a MIP, which
 * leaves no prices, every binding row. */
static int priced(const mpi_report *r, const mpi_report_row *row)
{
    return row->binding &&
           (isnan(row->price) || fabs(row->price) * r->plan->budget > 1e-4 * fabs(r->objective));
}

/* Whether e's list holds channel c whole (*whole) or some of its keyword
 * groups. */
static int expr_touches(const mpi_expr *e, size_t c, int *whole)
{
    *whole = mpi_expr_has(e, (int)c, -1);
    for (size_t g = 0; !*whole && e->ing && g < e->ngroups; g++)
        if (e->ing[c * e->ngroups + g])
            return 1;
    return *whole;
}

/* A plan constraint on channel c alone, capping its spend or its share. */
static int caps_alone(const mpi_report *r, const mpi_expr *e, size_t c)
{
    if (!e->in || e->ing || e->op == MPI_GE ||
        !(e->measure == MPI_M_SHARE || (e->measure == MPI_M_KPI && e->kpi == MPI_SPEND)))
        return 0;
    for (size_t k = 0; k < r->nch; k++)
        if ((e->in[k] != 0) != (k == c))
            return 0;
    return 1;
}

/* Channel c's own cap, when it holds: max_spend, fixed_spend, or a plan
 * constraint on it alone. */
static const mpi_report_row *own_cap(const mpi_report *r, size_t c)
{
    const mpi_channel *ch = r->ch[c].ch;
    double spend = r->ch[c].spend;
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        int mine = row->ref == (int)c;
        if (mine && row->kind == MPI_ROW_FIXED)
            return row;
        /* the curve may end at max_spend, leaving the row itself slack */
        if (mine && row->kind == MPI_ROW_MAX && spend >= ch->max_spend * (1 - 1e-6))
            return row;
        if (row->cons && row->binding && caps_alone(r, &row->cons->e, c))
            return row;
    }
    return NULL;
}

/* Whether row stops channel c from getting more: more of c's spend moves
 * the row's measure past its bound. *part: it holds some keyword groups only. */
static int stops(const mpi_report_row *row, size_t c, int *part)
{
    const mpi_expr *e = &row->cons->e;
    int whole, some = expr_touches(e, c, &whole);
    int le = e->op != MPI_GE, ge = e->op != MPI_LE;
    *part = some && !whole;
    switch (e->measure) {
    case MPI_M_SHARE:
        if (some && le)
            return 1;
        *part = 0; /* a floor on others' share: c's spend dilutes it */
        return !whole && ge;
    case MPI_M_ROAS: return some && ge;
    default: return some && le; /* KPI and spend caps, CPA caps */
    }
}

/* The first priced plan constraint (not c's own) that stops channel c. */
static const mpi_report_row *stopping_row(const mpi_report *r, size_t c, int *part)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        if (row->cons && priced(r, row) && stops(row, c, part))
            return row;
    }
    return NULL;
}

/* The priced floor that holds channel c up, or NULL: its min_spend or
 * fixed_spend, or a constraint with a lower bound on a list that holds it. */
static const mpi_report_row *held_up(const mpi_report *r, size_t c)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        int whole;
        if (!priced(r, row))
            continue;
        if ((row->kind == MPI_ROW_MIN || row->kind == MPI_ROW_FIXED) && row->ref == (int)c)
            return row;
        if (row->cons && row->cons->e.op != MPI_LE && expr_touches(&row->cons->e, c, &whole))
            return row;
    }
    return NULL;
}

/* The price of one more unit of the budget (objective per currency), or NAN
 * when the budget does not bind: its shadow price (per 1,000), on the exact
 * curves as the channels' marginal returns are. */
static double budget_price(const mpi_report *r)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (r->row[i].kind == MPI_ROW_BUDGET && priced(r, &r->row[i]))
            return r->row[i].shadow / 1000;
    return NAN;
}

/* In a plan minimising cost, the cost of one more unit of the return KPI
 * (a conversions target's shadow price), or NAN. */
static double target_cost(const mpi_report *r)
{
    if (r->plan->obj_sense > 0 || r->obj.q != MPI_SPEND)
        return NAN;
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        if (row->cons && priced(r, row) && row->cons->e.measure == MPI_M_KPI &&
            row->cons->e.kpi == r->obj.return_q && row->cons->e.op != MPI_LE)
            return fabs(row->shadow); /* per one of the return KPI (conversions) */
    }
    return NAN;
}

static void say_own_cap(const mpi_report *r, mpi_lang l, const mpi_report_row *row,
                        mpi_report_limit *o)
{
    char v[32];
    o->reason = MPI_LIMIT_OWN_CAP;
    o->row = row->name;
    mpi_fmt_num(l, v, sizeof v, row->bound, 0);
    if (row->kind == MPI_ROW_MAX)
        snprintf(o->text, sizeof o->text, mpi_tr(l, "at its max_spend of %s %s"), v,
                 r->plan->currency);
    else if (row->kind == MPI_ROW_FIXED)
        snprintf(o->text, sizeof o->text, mpi_tr(l, "fixed at %s %s"), v, r->plan->currency);
    else {
        char reading[sizeof o->text];
        mpi_row_reading(r, row, l, reading, sizeof reading);
        snprintf(o->text, sizeof o->text, mpi_tr(l, "capped by its own constraint %s: %s"),
                 row->name, reading);
    }
}

/* Where the curves cs counts at a ceiling bid: "at the 1.50 EUR ceiling", or
 * "at its ceiling (1.50 to 2.50 EUR)" when keyword groups have their own
 * ("at their ceilings" with plural). */
static void fmt_ceilings(const mpi_report *r, mpi_lang l, const curve_state *cs, int plural,
                         char *b, size_t n)
{
    char lo[32], hi[32], v[80];
    mpi_fmt_num(l, lo, sizeof lo, cs->ceiling_lo, 2);
    mpi_fmt_num(l, hi, sizeof hi, cs->ceiling, 2);
    if (strcmp(lo, hi) == 0) {
        snprintf(v, sizeof v, "%s %s", hi, r->plan->currency);
        snprintf(b, n, mpi_tr(l, "at the %s ceiling"), v);
        return;
    }
    snprintf(v, sizeof v, mpi_tr(l, "%s to %s %s"), lo, hi, r->plan->currency);
    snprintf(b, n, plural ? mpi_tr(l, "at their ceilings (%s)") : mpi_tr(l, "at its ceiling (%s)"),
             v);
}

static void say_curve_end(const mpi_report *r, mpi_lang l, const curve_state *cs,
                          mpi_report_limit *o)
{
    char v[120];
    fmt_ceilings(r, l, cs, 0, v, sizeof v);
    if (cs->n > 0 && cs->at_ceiling == cs->n) {
        o->reason = MPI_LIMIT_BID_CEILING;
        snprintf(o->text, sizeof o->text, mpi_tr(l, "every keyword bids %s"), v);
        return;
    }
    if (cs->n > 0 && cs->at_end == cs->n && cs->at_ceiling > 0) {
        o->reason = MPI_LIMIT_BID_CEILING;
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "every keyword bids %s or is bought to the end of its curve"), v);
        return;
    }
    o->reason = MPI_LIMIT_CURVE_END;
    snprintf(o->text, sizeof o->text, "%s",
             r->plan->period_kind == MPI_WEEK
                 ? mpi_tr(l, "bought to the end of its curve every week")
                 : mpi_tr(l, "bought to the end of its curve every month"));
}

/* "its competitor keywords": the keyword groups of channel c in e's list. */
static size_t put_groups(const mpi_report *r, const mpi_expr *e, size_t c, char *b, size_t n)
{
    size_t len = 0;
    for (size_t g = 0; g < e->ngroups && len < n; g++)
        if (e->ing[c * e->ngroups + g]) {
            int k = snprintf(b + len, n - len, "%s%s", len ? ", " : "", r->plan->groups.v[g]);
            len += k > 0 ? (size_t)k : 0;
        }
    return len;
}

static void say_row(const mpi_report *r, mpi_lang l, size_t c, const mpi_report_row *row, int part,
                    mpi_report_limit *o)
{
    const mpi_expr *e = &row->cons->e;
    char v[120], groups[MPI_TEXT_MAX] = "";
    curve_state rest;
    o->reason = MPI_LIMIT_ROW;
    o->row = row->name;
    if (part)
        curve_state_of(r->sol, c, e, &rest);
    else
        rest = r->ch[c].curves;
    fmt_ceilings(r, l, &rest, 1, v, sizeof v);
    if (!part && rest.at_ceiling > 0) /* the row holds those below the ceiling */
        snprintf(o->text, sizeof o->text, mpi_tr(l, "held by %s; other bids %s"), row->name, v);
    else if (!part) {
        char reading[sizeof o->text];
        mpi_row_reading(r, row, l, reading, sizeof reading);
        snprintf(o->text, sizeof o->text, mpi_tr(l, "held by %s: %s"), row->name, reading);
    }
    if (!part)
        return;
    put_groups(r, e, c, groups, sizeof groups);
    if (rest.n > 0 && rest.at_ceiling == rest.n)
        snprintf(o->text, sizeof o->text, mpi_tr(l, "%s holds its %s keywords; other bids %s"),
                 row->name, groups, v);
    else if (rest.n > 0 && rest.at_end == rest.n && rest.at_ceiling > 0)
        /* the others' auctions top out below the ceiling on some keywords */
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "%s holds its %s keywords; other bids %s or bought to the end of "
                           "their curves"),
                 row->name, groups, v);
    else
        snprintf(o->text, sizeof o->text, mpi_tr(l, "%s holds its %s keywords"), row->name, groups);
}

/* "first euro returns 5.14 conv/kEUR, below the 8.78 the budget earns";
 * with a floor: "next euro returns 8.41 conv/kEUR (budget: 9.32); held up
 * by offline-share". */
static void say_below_budget(const mpi_report *r, mpi_lang l, double m, double p,
                             const mpi_report_row *floor, mpi_report_limit *o)
{
    char a[32], b[32], unit[24];
    mpi_return_unit(r, l, unit, sizeof unit);
    mpi_fmt_sig3(l, a, sizeof a, 1000 * m);
    mpi_fmt_sig3(l, b, sizeof b, 1000 * p);
    if (!floor)
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "first euro returns %s %s, below the %s the budget earns"), a, unit, b);
    else
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "next euro returns %s %s (budget: %s); held up by %s"), a, unit, b,
                 floor->cons ? floor->name : mpi_tr(l, "its min_spend"));
}

/* o's text followed by "; held up by part-offline" when a floor holds the
 * channel where it is. */
static void add_held_up(mpi_lang l, const mpi_report_row *floor, mpi_report_limit *o)
{
    char head[sizeof o->text];
    if (!floor)
        return;
    snprintf(head, sizeof head, "%s", o->text);
    snprintf(o->text, sizeof o->text, mpi_tr(l, "%s; held up by %s"), head,
             floor->cons ? floor->name : mpi_tr(l, "its min_spend"));
}

/* "first conversion costs 500 EUR, above the 60.0 EUR of the target's last one". */
static void say_above_target(const mpi_report *r, mpi_lang l, double m, double tc, int next,
                             mpi_report_limit *o)
{
    int conv = r->obj.return_q == MPI_CONVERSIONS;
    const char *cur = r->plan->currency;
    char a[32], b[32];
    mpi_fmt_sig3(l, b, sizeof b, tc);
    if (!(m > 0)) {
        snprintf(o->text, sizeof o->text, "%s",
                 conv ? mpi_tr(l, "brings no conversions at the margin")
                      : mpi_tr(l, "brings no units at the margin"));
        return;
    }
    mpi_fmt_sig3(l, a, sizeof a, 1 / m);
    if (conv)
        snprintf(o->text, sizeof o->text,
                 next ? mpi_tr(l, "next conversion costs %s %s, above the %s %s of the target's "
                                  "last one")
                      : mpi_tr(l, "first conversion costs %s %s, above the %s %s of the target's "
                                  "last one"),
                 a, cur, b, cur);
    else
        snprintf(
            o->text, sizeof o->text,
            next ? mpi_tr(l, "next unit costs %s %s, above the %s %s of the target's last one")
                 : mpi_tr(l, "first unit costs %s %s, above the %s %s of the target's last one"),
            a, cur, b, cur);
}

/* Saturation: the channel's next euro returns less than the budget earns
 * (maximising), or its next unit of the target costs more than the target's
 * marginal cost (minimising cost), while nothing but a floor holds it where
 * it is (at nothing, or at the floor). */
static int say_saturation(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    const mpi_report_channel *ch = &r->ch[c];
    double m = ch->marginal, p = budget_price(r), tc = target_cost(r);
    int spent = ch->spend > 1e-6 * fmax(r->plan->budget, 1);
    const mpi_report_row *floor = spent ? held_up(r, c) : NULL;
    if ((spent && !floor) || isnan(m))
        return 0;
    if (p > 0 && m < p * (1 - MARGIN_TOL))
        say_below_budget(r, l, m, p, floor, o);
    else if (tc > 0 && (m <= 0 || 1 / m > tc * (1 + MARGIN_TOL))) {
        say_above_target(r, l, m, tc, spent, o);
        add_held_up(l, floor, o);
    } else
        return 0;
    o->reason = MPI_LIMIT_SATURATION;
    o->row = floor ? floor->name : NULL;
    return 1;
}

/* A priced plan constraint that more of channel c eases: a cap on others'
 * share (c's spend makes room under it), or a floor that c helps to meet. */
static const mpi_report_row *eased_row(const mpi_report *r, size_t c)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        int whole, some;
        if (!row->cons || !priced(r, row))
            continue;
        const mpi_expr *e = &row->cons->e;
        some = expr_touches(e, c, &whole);
        if (e->measure == MPI_M_SHARE && e->op == MPI_LE && !some)
            return row;
        if ((e->measure == MPI_M_SHARE || e->measure == MPI_M_KPI) && e->op == MPI_GE && some)
            return row;
    }
    return NULL;
}

static void say_none(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    double p = budget_price(r), tc = target_cost(r), m = r->ch[c].marginal;
    const mpi_report_row *eased = eased_row(r, c);
    char v[32], unit[24];
    o->reason = MPI_LIMIT_NONE;
    mpi_return_unit(r, l, unit, sizeof unit);
    if (p > 0 && eased && m < p * (1 - MARGIN_TOL)) {
        /* its own return is below the budget's; what it eases makes up the rest */
        o->row = eased->name;
        mpi_fmt_sig3(l, v, sizeof v, 1000 * m);
        /* a cap on others' share: its spend makes room for them; a floor:
         * its spend helps meet it */
        snprintf(o->text, sizeof o->text,
                 eased->cons->e.op == MPI_LE
                     ? mpi_tr(l, "on the margin: %s %s of its own, plus the room it makes for "
                                 "others under %s")
                     : mpi_tr(l, "on the margin: %s %s of its own, plus its part in meeting %s"),
                 v, unit, eased->name);
    } else if (p > 0 && !isnan(m)) {
        /* its own figure beside the budget's: within the certified gap of
         * the optimum they are close, not equal */
        char b[32];
        mpi_fmt_sig3(l, v, sizeof v, 1000 * m);
        mpi_fmt_sig3(l, b, sizeof b, 1000 * p);
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "on the margin: next euro returns %s %s, the budget %s"), v, unit, b);
    } else if (p > 0) {
        mpi_fmt_sig3(l, v, sizeof v, 1000 * p);
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "on the margin: returns what the budget earns (%s %s)"), v, unit);
    } else if (tc > 0) {
        mpi_fmt_sig3(l, v, sizeof v, tc);
        snprintf(o->text, sizeof o->text,
                 r->obj.return_q == MPI_CONVERSIONS
                     ? mpi_tr(l, "on the margin: a conversion costs here what it costs (%s %s)")
                     : mpi_tr(l, "on the margin: a unit costs here what it costs (%s %s)"),
                 v, r->plan->currency);
    } else
        snprintf(o->text, sizeof o->text, "%s", mpi_tr(l, "on the margin"));
}

/* A channel of a booked plan that books it in no period: no next euro of it
 * is priced (its marginal return is that of periods it airs in). */
int mpi_booked_off(const mpi_report *r, size_t c)
{
    return r->sol && r->sol->booked && mpi_channel_booked(&r->plan->ch[c]) && !(r->ch[c].spend > 0);
}

/* A plan constraint flooring channel c alone: a spend, share or KPI floor
 * on a list that holds it and no other channel. */
static const mpi_report_row *own_floor(const mpi_report *r, size_t c)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        const mpi_expr *e = row->cons ? &row->cons->e : NULL;
        int alone = e && e->in && !e->ing && e->op != MPI_LE;
        for (size_t k = 0; alone && k < r->nch; k++)
            alone = (e->in[k] != 0) == (k == c);
        if (alone)
            return row;
    }
    return NULL;
}

/* Whether channel c's next euro returns less than another bought channel's. */
static int below_others(const mpi_report *r, size_t c)
{
    double m = r->ch[c].marginal;
    for (size_t k = 0; k < r->nch; k++)
        if (k != c && r->ch[k].spend > 0 && r->ch[k].marginal * (1 - MARGIN_TOL) > m)
            return 1;
    return 0;
}

/* A binding floor over channel c and others (a spend, share or KPI floor)
 * when a channel bought outside its list returns more on its next euro than
 * c: the floor keeps money in c; else NULL. */
static const mpi_report_row *shared_floor(const mpi_report *r, size_t c)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        const mpi_expr *e = row->cons ? &row->cons->e : NULL;
        if (!e || !e->in || e->ing || e->op == MPI_LE || !row->binding || !e->in[c])
            continue;
        for (size_t k = 0; k < r->nch; k++)
            if (!e->in[k] && r->ch[k].spend > 0 &&
                r->ch[k].marginal * (1 - MARGIN_TOL) > r->ch[c].marginal)
                return row;
    }
    return NULL;
}

/* A booked plan has no prices: a channel it does not buy takes no next
 * euro, and one floored alone whose next euro returns less than another's
 * is there for its floor (and its smallest booking), not on the margin; so
 * is one a binding floor over several channels keeps (shared_floor). */
static int say_booked(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    const mpi_report_row *floor = own_floor(r, c);
    if (!(r->sol && r->sol->booked))
        return 0;
    if (!(r->ch[c].spend > 1e-6 * fmax(r->plan->budget, 1))) {
        o->reason = MPI_LIMIT_SATURATION;
        snprintf(o->text, sizeof o->text, "%s",
                 mpi_tr(l, "not bought: the booked plan does better without it"));
        return 1;
    }
    if (isnan(r->ch[c].marginal))
        return 0;
    int shared = !floor && (floor = shared_floor(r, c)) != NULL;
    if (!floor || (!shared && !below_others(r, c)))
        return 0;
    o->reason = MPI_LIMIT_SATURATION;
    o->row = floor->name;
    snprintf(o->text, sizeof o->text,
             shared ? mpi_tr(l, "held up by %s: its next euro returns less than a channel's "
                                "outside that floor")
                    : mpi_tr(l, "held up by %s and its smallest booking: its next euro returns "
                                "less than other channels'"),
             floor->name);
    return 1;
}

/* The bought channel other than c, not at its own cap, whose next euro
 * returns the most, when it returns more than c's (beyond MARGIN_TOL);
 * else -1. */
static long best_other(const mpi_report *r, size_t c)
{
    long best = -1;
    for (size_t k = 0; k < r->nch; k++)
        if (k != c && r->ch[k].spend > 0 && !isnan(r->ch[k].marginal) && !own_cap(r, k) &&
            r->ch[k].marginal * (1 - MARGIN_TOL) > r->ch[c].marginal &&
            (best < 0 || r->ch[k].marginal > r->ch[best].marginal))
            best = (long)k;
    return best;
}

/* A plan chosen for the bad draws has no price for the budget: a channel a
 * binding floor holds up, whose next euro returns less on average than
 * another bought channel's, is there for its floor, as the same plan
 * without risk says ("next euro returns 10.1 conv/kEUR (youtube: 13.6);
 * held up by its min_spend"). */
static int say_held_unpriced(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    const mpi_report_channel *ch = &r->ch[c];
    if (!isnan(budget_price(r)) || (r->sol && r->sol->booked) || isnan(ch->marginal) ||
        !(ch->spend > 1e-6 * fmax(r->plan->budget, 1)) || r->plan->obj_sense < 0)
        return 0;
    const mpi_report_row *floor = held_up(r, c);
    long k = best_other(r, c);
    if (!floor || k < 0)
        return 0;
    char a[32], b[32], unit[24];
    mpi_return_unit(r, l, unit, sizeof unit);
    mpi_fmt_sig3(l, a, sizeof a, 1000 * ch->marginal);
    mpi_fmt_sig3(l, b, sizeof b, 1000 * r->ch[k].marginal);
    snprintf(o->text, sizeof o->text, mpi_tr(l, "next euro returns %s %s (%s: %s); held up by %s"),
             a, unit, r->ch[k].name, b, floor->cons ? floor->name : mpi_tr(l, "its min_spend"));
    o->reason = MPI_LIMIT_SATURATION;
    o->row = floor->name;
    return 1;
}

/* The bought channel other than c, not at its own cap, whose next euro
 * returns the most in the draws a plan chosen for the bad draws weighs,
 * when it returns more there than c's (beyond MARGIN_TOL); else -1. */
static long best_tail(const mpi_report *r, size_t c)
{
    long best = -1;
    for (size_t k = 0; k < r->nch; k++) {
        double t = r->ch[k].tail_marginal;
        if (k != c && r->ch[k].spend > 0 && !isnan(t) && !own_cap(r, k) &&
            t * (1 - MARGIN_TOL) > r->ch[c].tail_marginal &&
            (best < 0 || t > r->ch[best].tail_marginal))
            best = (long)k;
    }
    return best;
}

/* A plan chosen for the bad draws leaves channel c out when its next euro
 * returns less in those draws than a bought channel's, whatever it returns
 * on average: "left out: in the worst 10% of the draws its next euro brings
 * 11.7 conv/kEUR, youtube's 12.3". */
static int say_left_out(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    const mpi_report_channel *ch = &r->ch[c];
    if (isnan(ch->tail_marginal) || ch->spend > 1e-6 * fmax(r->plan->budget, 1))
        return 0;
    long k = best_tail(r, c);
    if (k < 0)
        return 0;
    char a[32], b[32], unit[24], level[32];
    mpi_return_unit(r, l, unit, sizeof unit);
    mpi_fmt_sig3(l, a, sizeof a, 1000 * ch->tail_marginal);
    mpi_fmt_sig3(l, b, sizeof b, 1000 * r->ch[k].tail_marginal);
    double pct = 100 * r->plan->risk_level;
    mpi_fmt_num(l, level, sizeof level, pct, pct == floor(pct) ? 0 : 1);
    if (r->plan->risk == MPI_RISK_WORST)
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "left out: in the worst draw its next euro brings %s %s, %s's %s"), a,
                 unit, r->ch[k].name, b);
    else
        snprintf(o->text, sizeof o->text,
                 mpi_tr(l, "left out: in the worst %s%% of the draws its next euro brings %s %s, "
                           "%s's %s"),
                 level, a, unit, r->ch[k].name, b);
    o->reason = MPI_LIMIT_SATURATION;
    return 1;
}

static void classify(const mpi_report *r, mpi_lang l, size_t c, mpi_report_limit *o)
{
    const mpi_report_row *row = own_cap(r, c);
    const curve_state cs = r->ch[c].curves;
    int part = 0;
    if (r->sol && r->sol->trivial) { /* nothing was priced: no reason is known */
        o->reason = MPI_LIMIT_TIME_LIMIT;
        snprintf(o->text, sizeof o->text, "%s",
                 mpi_tr(l, "not bought: the time limit ran out before a plan spending on it "
                           "was found"));
        return;
    }
    if (row) {
        say_own_cap(r, l, row, o);
        return;
    }
    if (mpi_booked_off(r, c)) {
        o->reason = MPI_LIMIT_SATURATION;
        snprintf(o->text, sizeof o->text, "%s",
                 mpi_tr(l, "not booked in any period (its flights, min_grp, spots or "
                           "insertions)"));
        return;
    }
    if ((cs.n > 0 && cs.at_end == cs.n) || (cs.n == 0 && isnan(r->ch[c].marginal))) {
        say_curve_end(r, l, &cs, o);
        return;
    }
    if (say_booked(r, l, c, o) || say_left_out(r, l, c, o) || say_saturation(r, l, c, o) ||
        say_held_unpriced(r, l, c, o))
        return;
    if (isnan(r->ch[c].marginal) && r->obj.kpi && budget_price(r) > 0) {
        /* none of the objective at any spend (a curve channel in max reach):
         * not on the margin, where the budget's return would be quoted for it */
        o->reason = MPI_LIMIT_SATURATION;
        snprintf(o->text, sizeof o->text, mpi_tr(l, "brings no %s (the objective)"),
                 mpi_tr(l, r->obj.kpi));
        return;
    }
    row = stopping_row(r, c, &part);
    if (row)
        say_row(r, l, c, row, part, o);
    else
        say_none(r, l, c, o);
}

void mpi_report_limits(mpi_report *r)
{
    if (r->solved)
        channel_curve_states(r);
    for (size_t c = 0; c < r->nch; c++) {
        mpi_report_limit *o = &r->ch[c].limit;
        memset(o, 0, sizeof *o);
        if (r->solved)
            classify(r, MPI_LANG_EN, c, o);
    }
}

void mpi_limit_text_in(const mpi_report *r, size_t c, mpi_lang lang, char *buf, size_t n)
{
    mpi_report_limit o;
    memset(&o, 0, sizeof o);
    if (r->solved)
        classify(r, lang, c, &o);
    snprintf(buf, n, "%s", o.text);
}

int mpi_limit_own_line(const mpi_report_channel *ch)
{
    return ch->limit.reason != MPI_LIMIT_NONE || ch->limit.row;
}

/* The spread of the marginal returns of the channels on the margin
 * (objective per k-currency); 0 when none has one. */
static size_t margin_spread(const mpi_report *r, double *lo, double *hi)
{
    size_t n = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t c = 0; c < r->nch; c++) {
        double m = r->ch[c].marginal;
        if (mpi_limit_own_line(&r->ch[c]) || isnan(m))
            continue;
        *lo = fmin(*lo, 1000 * m);
        *hi = fmax(*hi, 1000 * m);
        n++;
    }
    return n;
}

/* " (their next euro returns 8.31 to 9.01 conv/kEUR, the budget 8.69)":
 * the channels' own figures beside the budget's, never claimed equal (the
 * plan's spends are within the certified gap of the optimum, where they
 * would be). */
static void margin_figures(const mpi_report *r, mpi_lang l, char *b, size_t n)
{
    double lo, hi, p = budget_price(r);
    char a[32], z[32], bp[32], unit[24];
    b[0] = '\0';
    if (!(p > 0) || !margin_spread(r, &lo, &hi))
        return;
    mpi_return_unit(r, l, unit, sizeof unit);
    mpi_fmt_sig3(l, a, sizeof a, lo);
    mpi_fmt_sig3(l, z, sizeof z, hi);
    mpi_fmt_sig3(l, bp, sizeof bp, 1000 * p);
    if (strcmp(a, z))
        snprintf(b, n, mpi_tr(l, " (next euro returns %s to %s %s; the budget %s)"), a, z, unit,
                 bp);
    else
        snprintf(b, n, mpi_tr(l, " (next euro returns %s %s; the budget %s)"), a, unit, bp);
}

void mpi_margin_line(const mpi_report *r, mpi_lang lang, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < r->nch && len < n; c++)
        if (!mpi_limit_own_line(&r->ch[c])) {
            int k = snprintf(buf + len, n - len, "%s%s",
                             len ? ", " : mpi_tr(lang, "on the margin: "), r->ch[c].name);
            len += k > 0 ? (size_t)k : 0;
        }
    if (!len || len >= n)
        return;
    margin_figures(r, lang, buf + len, n - len);
}

void mpi_margin_precision(const mpi_report *r, mpi_lang lang, char *buf, size_t n)
{
    double lo, hi;
    char g[32];
    buf[0] = '\0';
    if (isnan(r->gap) || !(budget_price(r) > 0) || margin_spread(r, &lo, &hi) < 1)
        return;
    /* the gap is against the bound; a gain is against the plan's figure */
    mpi_gap_pct_text(lang, g, sizeof g, r->gap < 1 ? r->gap / (1 - r->gap) : r->gap);
    snprintf(buf, n,
             mpi_tr(lang, "no shift of money between channels gains more than %s %% (the plan's "
                          "certified precision)"),
             g);
}
