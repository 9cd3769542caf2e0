/* The current plan ([plan] baseline) against the booking rules of the plan's
 * booked channels (flights.c): a period it airs in outside the channel's
 * flight, a spend that is not a whole number of spots or insertions, a week
 * under min_grp or min_spend_active, over max_grp or max_insertions, a run on
 * air shorter than min_burst, more periods on air than max_active_periods.
 * The optimised plan is held to each of them (mip.c); the current plan is
 * only evaluated, so each one it breaks is named beside its figures. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Room for one more break in b, set to rule r of channel c in period t. */
static mp_status add(mpi_baseline *b, size_t *cap, int c, int t, int r, double spend, double value,
                     double bound)
{
    mpi_baseline_booking *v = mpi_reserve(b->booking, cap, b->nbooking + 1, sizeof *v);
    if (!v)
        return mpi_nomem();
    b->booking = v;
    b->booking[b->nbooking++] = (mpi_baseline_booking){c, t, r, spend, value, bound};
    return MP_OK;
}

/* The price level and the most the curves of channel c in period t of bm
 * take (INFINITY for a channel whose curves carry its adstock: they cover
 * more than a period's spend). */
static void period_level(const mpi_model *bm, int c, int t, double *mult, double *cap)
{
    *mult = 1;
    *cap = bm->plan->ch[c].adstock > 0 ? INFINITY : 0;
    int seen = 0;
    for (size_t i = 0; i < bm->nspend_curves; i++) {
        const mpi_curve *cv = &bm->curves.v[i];
        if (cv->channel != c || cv->period != t)
            continue;
        if (!seen++)
            *mult = cv->mult;
        *cap += mpi_curve_end(cv);
    }
    if (!seen)
        *cap = INFINITY;
}

/* The rules of one period on air: flight, whole units, the floor and cap of
 * what a period carries. */
static mp_status period_breaks(const mpi_model *bm, mpi_baseline *b, size_t *n, int c, int t,
                               double x)
{
    const mpi_channel *ch = &bm->plan->ch[c];
    const mpi_booking *k = &ch->book;
    double mult, cap, fl, price;
    period_level(bm, c, t, &mult, &cap);
    mpi_booked_need(bm, c, t, &fl, &price);
    double unit = ch->ops->unit_cost ? ch->ops->unit_cost(ch->params) * mult : 0;
    int press = mpi_channel_press(ch);
    mp_status st = MP_OK;
    if (k->on && !k->on[t])
        st = add(b, n, c, t, MPI_BOOK_FLIGHT, x, x, 0);
    if (st == MP_OK && price > 0 && fabs(x - price * round(x / price)) > 0.5)
        st = add(b, n, c, t, MPI_BOOK_UNITS, x, x / price, price);
    if (st == MP_OK && k->min_grp > 0 && unit > 0 && x < k->min_grp * unit * (1 - 1e-9))
        st = add(b, n, c, t, MPI_BOOK_MIN_GRP, x, x / unit, k->min_grp);
    if (st == MP_OK && k->min_spend_active > 0 && x < k->min_spend_active - 0.5)
        st = add(b, n, c, t, MPI_BOOK_MIN_SPEND, x, x, k->min_spend_active);
    if (st == MP_OK && (press || mpi_channel_airtime(ch)) && unit > 0 && x > cap + 0.5)
        st = add(b, n, c, t, press ? MPI_BOOK_MAX_INSERTIONS : MPI_BOOK_MAX_GRP, x, x / unit,
                 cap / unit);
    return st;
}

/* The rules over a channel's periods on air: its runs and their count. */
static mp_status run_breaks(const mp_plan *plan, mpi_baseline *b, size_t *n, int c)
{
    const mpi_booking *k = &plan->ch[c].book;
    const double *x = &plan->baseline[(size_t)c * (size_t)plan->periods];
    int np = plan->periods, active = 0;
    mp_status st = MP_OK;
    for (int t = 0; st == MP_OK && t < np;) {
        if (!(x[t] > 0)) {
            t++;
            continue;
        }
        int t0 = t;
        while (t < np && x[t] > 0)
            t++;
        active += t - t0;
        if (k->min_burst > 1 && t - t0 < k->min_burst)
            st = add(b, n, c, t0, MPI_BOOK_MIN_BURST, 0, t - t0, k->min_burst);
    }
    if (st == MP_OK && k->max_active > 0 && active > k->max_active)
        st = add(b, n, c, -1, MPI_BOOK_MAX_ACTIVE, 0, active, k->max_active);
    return st;
}

mp_status mpi_baseline_booking_check(const mpi_model *bm, mpi_baseline *b)
{
    const mp_plan *plan = bm->plan;
    size_t cap = 0, np = (size_t)plan->periods;
    mp_status st = MP_OK;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        if (!mpi_channel_booked(&plan->ch[c]))
            continue;
        for (size_t t = 0; st == MP_OK && t < np; t++) {
            double x = plan->baseline[c * np + t];
            if (x > 0)
                st = period_breaks(bm, b, &cap, (int)c, (int)t, x);
        }
        if (st == MP_OK)
            st = run_breaks(plan, b, &cap, (int)c);
    }
    return st;
}

const char *mpi_baseline_booking_rule(int rule)
{
    static const char *const names[] = {"flight",           "whole_units",       "min_grp",
                                        "min_spend_active", "max_grp",           "max_insertions",
                                        "min_burst",        "max_active_periods"};
    return rule >= 0 && rule < (int)(sizeof names / sizeof *names) ? names[rule] : "";
}

/* v with two significant decimals after its whole part, at most six, the
 * zeros after them dropped: "8.00008", "2.78", "7.2", "18". */
static void fmt_fraction(mpi_lang l, char *buf, size_t n, double v)
{
    int dec = 0;
    double f = fabs(v - round(v));
    if (f > 1e-9 * (1 + fabs(v)))
        dec = (int)fmin(6, fmax(2, 1 - floor(log10(f))));
    mpi_fmt_num(l, buf, n, v, dec);
    size_t k = strlen(buf);
    while (dec > 0 && k > 1 && buf[k - 1] == '0')
        buf[--k] = '\0';
    if (dec > 0 && k > 1 && (buf[k - 1] == '.' || buf[k - 1] == ','))
        buf[--k] = '\0';
}

/* "week 4" / "month 4" */
static void period_name(const mp_plan *plan, mpi_lang l, int t, char *buf, size_t n)
{
    snprintf(buf, n, plan->period_kind == MPI_WEEK ? mpi_tr(l, "week %d") : mpi_tr(l, "month %d"),
             t + 1);
}

/* A break of the units a period carries: spots or insertions, GRP. */
static void units_text(const mp_plan *plan, const mpi_baseline_booking *k, mpi_lang l,
                       const char *when, char *buf, size_t n)
{
    const mpi_channel *ch = &plan->ch[k->channel];
    char v[48], s[48], p[48];
    fmt_fraction(l, v, sizeof v, k->value);
    mpi_fmt_num(l, s, sizeof s, k->spend, 0);
    fmt_fraction(l, p, sizeof p, k->bound);
    if (k->rule == MPI_BOOK_UNITS)
        mpi_fmt_num(l, p, sizeof p, k->bound, 0);
    if (k->rule == MPI_BOOK_UNITS && mpi_channel_press(ch))
        snprintf(buf, n,
                 mpi_tr(l, "the current plan books %s in %s for %s %s: %s insertions at %s %s, "
                           "not a whole number"),
                 ch->name, when, s, plan->currency, v, p, plan->currency);
    else if (k->rule == MPI_BOOK_UNITS)
        snprintf(buf, n,
                 mpi_tr(l, "the current plan books %s in %s for %s %s: %s spots at %s %s, not a "
                           "whole number"),
                 ch->name, when, s, plan->currency, v, p, plan->currency);
    else if (k->rule == MPI_BOOK_MIN_GRP)
        snprintf(buf, n,
                 mpi_tr(l, "the current plan books %s in %s for %s GRP, under min_grp = %s"),
                 ch->name, when, v, p);
    else if (k->rule == MPI_BOOK_MAX_GRP)
        snprintf(buf, n, mpi_tr(l, "the current plan books %s in %s for %s GRP, over max_grp = %s"),
                 ch->name, when, v, p);
    else
        snprintf(buf, n,
                 mpi_tr(l, "the current plan books %s in %s for %s insertions, over "
                           "max_insertions = %s"),
                 ch->name, when, v, p);
}

void mpi_baseline_booking_text(const mp_plan *plan, const mpi_baseline_booking *k, mpi_lang l,
                               char *buf, size_t n)
{
    const mpi_channel *ch = &plan->ch[k->channel];
    char when[64], v[48], s[48];
    int week = plan->period_kind == MPI_WEEK;
    unsigned long count = (unsigned long)k->value;
    period_name(plan, l, k->period, when, sizeof when);
    if (k->rule == MPI_BOOK_FLIGHT) {
        snprintf(buf, n, mpi_tr(l, "the current plan books %s in %s, outside its flight (%s)"),
                 ch->name, when, ch->book.flight ? ch->book.flight : "");
    } else if (k->rule == MPI_BOOK_MIN_SPEND) {
        mpi_fmt_num(l, s, sizeof s, k->spend, 0);
        mpi_fmt_num(l, v, sizeof v, k->bound, 0);
        snprintf(buf, n,
                 mpi_tr(l, "the current plan books %s in %s for %s %s, under min_spend_active = "
                           "%s %s"),
                 ch->name, when, s, plan->currency, v, plan->currency);
    } else if (k->rule == MPI_BOOK_MIN_BURST) {
        snprintf(v, sizeof v,
                 week ? mpi_trn(l, "%d week", "%d weeks", count)
                      : mpi_trn(l, "%d month", "%d months", count),
                 (int)count);
        snprintf(buf, n,
                 mpi_tr(l, "the current plan airs %s for %s from %s, fewer than min_burst = %d in "
                           "a row"),
                 ch->name, v, when, (int)k->bound);
    } else if (k->rule == MPI_BOOK_MAX_ACTIVE) {
        snprintf(v, sizeof v,
                 week ? mpi_trn(l, "%d week", "%d weeks", count)
                      : mpi_trn(l, "%d month", "%d months", count),
                 (int)count);
        snprintf(buf, n, mpi_tr(l, "the current plan airs %s in %s, over max_active_periods = %d"),
                 ch->name, v, (int)k->bound);
    } else {
        units_text(plan, k, l, when, buf, n);
    }
}
