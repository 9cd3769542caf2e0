/* What booking costs, in a planner's words: the smallest booking a booked
 * channel can have (its floor in whole units over min_burst periods in its
 * flight), which the budget may not reach, and the next step a booked plan
 * could take (one more spot or insertion, one more period on air), which the
 * budget left unspent may not reach (report.h). Whole units and flights are
 * steps, not euros: a booked plan may leave money unspent because the next
 * step costs more than what is left. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* What sets the least a period on air costs. */
enum { FLOOR_NONE, FLOOR_GRP, FLOOR_SPEND, FLOOR_UNIT };

/* The least money channel c airs on in period t: its floor in whole units
 * where it buys them (at least one unit); *why says what sets it. */
static double period_least(const mpi_model *m, int c, int t, int *why)
{
    const mpi_booking *b = &m->plan->ch[c].book;
    double floor_cur, price;
    mpi_booked_need(m, c, t, &floor_cur, &price);
    *why = !(floor_cur > 0)                                ? FLOOR_NONE
           : floor_cur > b->min_spend_active * (1 + 1e-12) ? FLOOR_GRP
                                                           : FLOOR_SPEND;
    if (!(price > 0))
        return floor_cur;
    if (floor_cur <= price * (1 + 1e-9)) {
        *why = FLOOR_UNIT;
        return price;
    }
    return ceil(floor_cur / price - 1e-9) * price;
}

/* The least a booking of channel c costs when it airs at all: min_burst
 * periods in a row inside its flight, each at its least; *periods the run,
 * *why what sets a period's least. INFINITY: no run fits. */
static double least_booking(const mpi_model *m, int c, int *periods, int *why)
{
    const mpi_booking *b = &m->plan->ch[c].book;
    int np = m->plan->periods, run = b->min_burst > 1 ? b->min_burst : 1;
    double best = INFINITY;
    *periods = run;
    *why = FLOOR_NONE;
    for (int t0 = 0; t0 + run <= np; t0++) {
        double sum = 0;
        int w = FLOOR_NONE;
        for (int t = t0; t < t0 + run && sum < INFINITY; t++)
            sum += b->on && !b->on[t] ? INFINITY : period_least(m, c, t, &w);
        if (sum < best) {
            best = sum;
            *why = w;
        }
    }
    return best;
}

/* "2 weeks in a row (min_burst) of at least 40 GRP each (min_grp)": the
 * smallest booking's shape. */
static void least_shape(const mp_plan *plan, const mpi_channel *ch, int run, int why, mpi_lang l,
                        char *buf, size_t n)
{
    char span[64], v[48];
    snprintf(span, sizeof span,
             plan->period_kind == MPI_WEEK
                 ? mpi_trn(l, "%d week", "%d weeks", (unsigned long)run)
                 : mpi_trn(l, "%d month", "%d months", (unsigned long)run),
             run);
    const char *burst = run > 1 ? mpi_tr(l, " in a row (min_burst)") : "";
    if (why == FLOOR_GRP) {
        mpi_fmt_num(l, v, sizeof v, ch->book.min_grp,
                    ch->book.min_grp == floor(ch->book.min_grp) ? 0 : 1);
        snprintf(buf, n, mpi_tr(l, "%s%s of at least %s GRP each (min_grp)"), span, burst, v);
    } else if (why == FLOOR_SPEND) {
        mpi_fmt_num(l, v, sizeof v, ch->book.min_spend_active, 0);
        snprintf(buf, n, mpi_tr(l, "%s%s of at least %s %s each (min_spend_active)"), span, burst,
                 v, plan->currency);
    } else if (ch->book.spot_cost > 0) {
        mpi_fmt_num(l, v, sizeof v, ch->book.spot_cost, 0);
        snprintf(buf, n, mpi_tr(l, "%s%s of one spot each (spot_cost %s %s)"), span, burst, v,
                 plan->currency);
    } else {
        snprintf(buf, n, mpi_tr(l, "%s%s of one insertion each"), span, burst);
    }
}

void mpi_booked_dear_text(const mpi_model *m, int c, double budget, mpi_lang l, char *buf, size_t n)
{
    const mp_plan *plan = m->plan;
    const mpi_channel *ch = &plan->ch[c];
    int run, why;
    buf[0] = '\0';
    if (!mpi_channel_booked(ch))
        return;
    double least = least_booking(m, c, &run, &why);
    if (!(least > budget * (1 + 1e-9)) || least == INFINITY || why == FLOOR_NONE)
        return;
    char shape[MPI_TEXT_MAX], a[48], b[48];
    least_shape(plan, ch, run, why, l, shape, sizeof shape);
    mpi_fmt_num(l, a, sizeof a, least, 0);
    mpi_fmt_num(l, b, sizeof b, budget, 0);
    snprintf(buf, n,
             mpi_tr(l,
                    "channel \"%s\" cannot be booked within the budget: its smallest booking, %s, "
                    "costs %s %s, above the budget of %s %s"),
             ch->name, shape, a, plan->currency, b, plan->currency);
}

mp_status mpi_booked_warn_dear(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    double budget = mpi_scenario_budget(plan, sol->sc);
    for (size_t c = 0; c < plan->nch; c++) {
        char text[MPI_NLANG][512];
        const char *each[MPI_NLANG];
        for (int g = 0; g < MPI_NLANG; g++) {
            mpi_booked_dear_text(&sol->model, (int)c, budget, (mpi_lang)g, text[g], sizeof text[g]);
            each[g] = text[g];
        }
        mp_status st = *text[0] ? mpi_warn_texts(&sol->diag, each) : MP_OK;
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

/* ---- the next step of a booked plan --------------------------------------- */

/* What the next step of a booked channel is. */
enum { STEP_NONE, STEP_SPOT, STEP_INSERTION, STEP_PERIOD, STEP_RUN, STEP_EUROS };

/* Whether channel c airs in period t of sol's plan (a channel bought in
 * whole units alone may add one in any period). */
static int on_air(const mp_solution *sol, int c, int t)
{
    if (t < 0 || t >= sol->plan->periods)
        return 0;
    size_t i = (size_t)c * (size_t)sol->plan->periods + (size_t)t;
    return !mpi_booked_onoff(&sol->plan->ch[c]) || (sol->book_airs && sol->book_airs[i]);
}

/* The most channel c can take in each period (its curves' ends) into cap. */
static void period_caps(const mp_solution *sol, int c, double *cap)
{
    const mpi_model *m = &sol->model;
    memset(cap, 0, (size_t)sol->plan->periods * sizeof *cap);
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (cv->channel == c && cv->period >= 0 && cv->period < sol->plan->periods)
            cap[cv->period] += mpi_curve_end(cv);
    }
}

/* The cheapest step within period t on air: the next whole unit, or a euro
 * more of a channel whose money is continuous (STEP_EUROS, 0). */
static double step_on_air(const mp_solution *sol, int c, int t, const double *cap, int *kind)
{
    double fl, price, x = MPI_CP_KPI(sol, c, t, MPI_SPEND);
    mpi_booked_need(&sol->model, c, t, &fl, &price);
    *kind = STEP_NONE;
    if (!(price > 0)) {
        *kind = x < cap[t] * (1 - 1e-9) - 1e-6 ? STEP_EUROS : STEP_NONE;
        return *kind == STEP_EUROS ? 0 : INFINITY;
    }
    if (x + price > cap[t] * (1 + 1e-9))
        return INFINITY;
    *kind = mpi_channel_press(&sol->plan->ch[c]) ? STEP_INSERTION : STEP_SPOT;
    return price;
}

/* The cheapest step that puts channel c on air from period t, off air: one
 * more period next to a run, else a run of min_burst periods, inside its
 * flight, its max_active_periods and its curves. */
static double step_off_air(const mp_solution *sol, int c, int t, const double *cap, int active,
                           int *kind)
{
    const mpi_booking *b = &sol->plan->ch[c].book;
    int next_to = on_air(sol, c, t - 1) || on_air(sol, c, t + 1);
    int run = next_to || b->min_burst <= 1 ? 1 : b->min_burst, w;
    double sum = 0;
    *kind = STEP_NONE;
    if (t + run > sol->plan->periods || (b->max_active > 0 && active + run > b->max_active))
        return INFINITY;
    for (int j = t; j < t + run; j++) {
        double p = period_least(&sol->model, c, j, &w);
        if ((b->on && !b->on[j]) || (j > t && on_air(sol, c, j)) || p > cap[j] * (1 + 1e-9))
            return INFINITY;
        sum += p;
    }
    *kind = run > 1 ? STEP_RUN : STEP_PERIOD;
    return sum;
}

/* The cheapest step that adds money to booked channel c of sol's plan
 * (cap: its curves' ends by period), and its kind; INFINITY: none. */
static double next_step(const mp_solution *sol, int c, const double *cap, int *kind)
{
    int np = sol->plan->periods, active = 0, k;
    double best = INFINITY;
    *kind = STEP_NONE;
    for (int t = 0; t < np; t++)
        active += mpi_booked_onoff(&sol->plan->ch[c]) && on_air(sol, c, t);
    for (int t = 0; t < np; t++) {
        double s = on_air(sol, c, t) ? step_on_air(sol, c, t, cap, &k)
                                     : step_off_air(sol, c, t, cap, active, &k);
        if (s < best) {
            best = s;
            *kind = k;
        }
    }
    return best;
}

/* "the next spot of tf1 costs 7,000 EUR": a step of channel ch in words. */
static void step_text(const mp_plan *plan, const mpi_channel *ch, int kind, double cost, mpi_lang l,
                      char *buf, size_t n)
{
    char v[48];
    int week = plan->period_kind == MPI_WEEK;
    mpi_fmt_num(l, v, sizeof v, cost, 0);
    if (kind == STEP_SPOT)
        snprintf(buf, n, mpi_tr(l, "the next spot of %s costs %s %s"), ch->name, v, plan->currency);
    else if (kind == STEP_INSERTION)
        snprintf(buf, n, mpi_tr(l, "the next insertion of %s costs %s %s"), ch->name, v,
                 plan->currency);
    else if (kind == STEP_PERIOD)
        snprintf(buf, n,
                 week ? mpi_tr(l, "%s on air one more week costs %s %s")
                      : mpi_tr(l, "%s on air one more month costs %s %s"),
                 ch->name, v, plan->currency);
    else
        snprintf(buf, n,
                 week ? mpi_tr(l, "%s on air %d more weeks in a row (min_burst) costs %s %s")
                      : mpi_tr(l, "%s on air %d more months in a row (min_burst) costs %s %s"),
                 ch->name, ch->book.min_burst, v, plan->currency);
}

/* The steps of sol's booked channels, "; "-separated (" ; " in French), into buf when each
 * costs more than left; 0 when one fits (or none is left to take). */
static int steps_above(const mp_solution *sol, double left, mpi_lang l, char *buf, size_t n)
{
    const mp_plan *plan = sol->plan;
    double *cap = mpi_malloc((size_t)plan->periods * sizeof *cap);
    size_t len = 0;
    int ok = cap != NULL;
    buf[0] = '\0';
    for (size_t c = 0; ok && c < plan->nch; c++) {
        if (!mpi_channel_booked(&plan->ch[c]))
            continue;
        int kind;
        period_caps(sol, (int)c, cap);
        double s = next_step(sol, (int)c, cap, &kind);
        if (s <= left) /* a step fits: whole units are not what leaves the money */
            ok = 0;
        if (!ok || kind == STEP_NONE || len >= n)
            continue;
        if (len)
            len += (size_t)snprintf(buf + len, n - len, "%s", mpi_tr(l, N_("; ")));
        if (len < n)
            step_text(plan, &plan->ch[c], kind, s, l, buf + len, n - len);
        len = strlen(buf);
    }
    free(cap);
    return ok && len > 0;
}

int mpi_booked_steps_above(const mp_solution *sol, double left)
{
    char steps[MPI_TEXT_MAX];
    return sol->booked && !mpi_booked_none(sol) &&
           steps_above(sol, left, MPI_LANG_EN, steps, sizeof steps);
}

void mpi_unspent_text(const mpi_report *r, mpi_lang l, char *buf, size_t n)
{
    const mp_solution *sol = r->sol;
    buf[0] = '\0';
    if (r->solved && sol && !sol->booked) {
        mpi_unspent_rows_text(r, l, buf, n);
        return;
    }
    if (!r->solved || !sol || !sol->booked || mpi_booked_none(sol) || r->plan->obj_sense < 0)
        return;
    double budget = mpi_scenario_budget(r->plan, sol->sc), left = budget - r->total_spend;
    char steps[MPI_TEXT_MAX], v[48];
    if (!(left > fmax(0.5, 1e-6 * budget)) || !steps_above(sol, left, l, steps, sizeof steps))
        return;
    mpi_fmt_num(l, v, sizeof v, left, 0);
    snprintf(buf, n,
             mpi_tr(l, "unspent: %s %s of the budget, less than the next step of any booked "
                       "channel: %s"),
             v, r->plan->currency, steps);
}
