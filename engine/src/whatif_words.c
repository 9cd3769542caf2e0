/* What a one-axis what-if run means for the money, in a planner's words,
 * under the terminal's table: from the first scenario to the last, what the
 * objective gains or loses and what budget that is worth, what each booked
 * channel's spots or insertions become and cost, where the rest of the
 * money moves, and what each channel's clicks cost (with, when a channel
 * spends more for fewer clicks, why). */
#include "report.h"
#include "whatif.h"

#include <stdlib.h>
#include <string.h>

/* The reading's lines are wrapped to this many terminal columns. */
#define READING_COLS 100

/* Where the reading goes: the terminal or a list of lines (the Scenarios
 * sheet's notes); st, the first failure to add one. */
typedef struct sink {
    FILE *out;
    mpi_strlist *lines;
    mp_status st;
} sink;

/* One line of the reading, to the terminal or the list. */
static void put_piece(sink *k, const char *piece)
{
    if (k->out)
        fprintf(k->out, "%s\n", piece);
    else if (k->st == MP_OK)
        k->st = mpi_strlist_addf(k->lines, "%s", piece);
}

/* text in lines of READING_COLS at most, cut at spaces, the lines after the
 * first indented by two (a printed sheet's note is as narrow as a page). */
static void put_line(sink *k, const char *text)
{
    char line[MPI_TEXT_MAX * 2];
    const char *p = text;
    int first = 1;
    while (*p) {
        size_t len = mpi_wrap_len(p, READING_COLS - (first ? 0 : 2));
        snprintf(line, sizeof line, "%s%.*s", first ? "" : "  ", (int)len, p);
        put_piece(k, line);
        p += len;
        while (*p == ' ')
            p++;
        first = 0;
    }
}

/* v with its sign ("+754", "-111"), in lang; a figure that rounds to 0
 * has none ("0.0", never "-0.0"). */
static void fmt_signed(mpi_lang lang, char *b, size_t n, double v, int decimals)
{
    char a[48];
    if (fabs(v) < 0.5 * pow(10, -decimals))
        v = 0;
    mpi_fmt_num(lang, a, sizeof a, fabs(v), decimals);
    snprintf(b, n, "%s%s", v > 0 ? "+" : v < 0 ? "-" : "", a);
}

/* A relative change as a signed percentage with one decimal: "-0.8 %". */
static void fmt_change(mpi_lang lang, char *b, size_t n, double rel)
{
    char a[64];
    fmt_signed(lang, a, sizeof a, 100 * rel, 1);
    snprintf(b, n, lang == MPI_LANG_FR ? "%s\u00a0%%" : "%s %%", a);
}

static double rel_change(double from, double to)
{
    return from != 0 ? to / from - 1 : 0;
}

/* The first and the last scenario with a plan of a one-axis run, when they
 * differ. */
static int reading_ends(const mpi_whatif_report *wr, size_t *a, size_t *z)
{
    size_t n = 0;
    for (size_t i = 0; i < wr->n; i++)
        if (wr->scen[i].solved) {
            if (!n++)
                *a = i;
            *z = i;
        }
    return n >= 2;
}

/* "from 7 % to 13 %: conversions -111 (-0.8 %), as if 14,464 EUR of budget
 * were lost; CPA from 58.97 to 59.46 EUR". */
static void say_objective(sink *out, mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr,
                          const mpi_report_scenario *a, const mpi_report_scenario *z)
{
    const char *cur = w->plan->currency;
    char from[64], to[64], d[64], ch[64], money[64], text[MPI_TEXT_MAX], cpa[MPI_TEXT_MAX / 2];
    mpi_whatif_axis_text(lang, from, sizeof from, &w->ax[0], w->ax[0].values[a->s->idx[0]]);
    mpi_whatif_axis_text(lang, to, sizeof to, &w->ax[0], w->ax[0].values[z->s->idx[0]]);
    double delta = z->s->objective - a->s->objective, price = a->s->marginal;
    fmt_signed(lang, d, sizeof d, delta, fabs(delta) < 100 ? 1 : 0);
    fmt_change(lang, ch, sizeof ch, rel_change(a->s->objective, z->s->objective));
    const char *kpi = mpi_tr(lang, wr->base->obj.kpi), *unit = mpi_tr(lang, wr->base->obj.unit);
    if (strcmp(kpi, unit)) { /* "cost +1,650 GBP" */
        strncat(d, " ", sizeof d - strlen(d) - 1);
        strncat(d, unit, sizeof d - strlen(d) - 1);
    }
    /* a budget axis moves the budget itself */
    if (w->plan->obj_sense > 0 && w->ax[0].kind != MPI_AX_BUDGET && isfinite(price) && price > 0 &&
        fabs(delta) > 0) {
        mpi_fmt_num(lang, money, sizeof money, fabs(delta / price), 0);
        snprintf(text, sizeof text,
                 delta < 0 ? mpi_tr(lang, "from %s to %s: %s %s (%s), as if %s %s of budget were "
                                          "lost")
                           : mpi_tr(lang, "from %s to %s: %s %s (%s), as if %s %s of budget were "
                                          "added"),
                 from, to, kpi, d, ch, money, cur);
    } else {
        snprintf(text, sizeof text, mpi_tr(lang, "from %s to %s: %s %s (%s)"), from, to, kpi, d,
                 ch);
    }
    if (!isnan(a->per_return) && !isnan(z->per_return)) {
        mpi_fmt_num(lang, from, sizeof from, a->per_return, 2);
        mpi_fmt_num(lang, to, sizeof to, z->per_return, 2);
        snprintf(cpa, sizeof cpa, mpi_tr(lang, "; %s from %s to %s %s"),
                 wr->base->obj.return_q == MPI_CONVERSIONS
                     ? mpi_trc(lang, "terminal column", "CPA")
                     : mpi_trc(lang, "terminal column", "cost/unit"),
                 from, to, cur);
        strncat(text, cpa, sizeof text - strlen(text) - 1);
    }
    put_line(out, text);
}

/* The channels whose spend moves by sign (1 up, -1 down) from a to z, as a
 * list: "meta", or "meta (-500 EUR), tiktok (-254 EUR)" with more than one
 * or with all set; returns how many and their total. */
static size_t moved_list(mpi_lang lang, const mp_whatif *w, const double *dx, int sign, double tol,
                         int all, char *b, size_t n, double *total)
{
    size_t k = 0, count = 0;
    *b = 0;
    *total = 0;
    for (size_t c = 0; c < w->plan->nch; c++)
        count += sign * dx[c] > tol;
    for (size_t c = 0; c < w->plan->nch; c++) {
        if (!(sign * dx[c] > tol))
            continue;
        char v[64], item[160];
        fmt_signed(lang, v, sizeof v, dx[c], 0);
        *total += fabs(dx[c]);
        snprintf(item, sizeof item, "%s%s", k++ ? ", " : "", w->plan->ch[c].name);
        strncat(b, item, n - strlen(b) - 1);
        if (count > 1 || all) {
            snprintf(item, sizeof item, all ? "\u00a0%s\u00a0%s" : " (%s\u00a0%s)", v,
                     w->plan->currency);
            strncat(b, item, n - strlen(b) - 1);
        }
    }
    return k;
}

/* "754 EUR move from meta to sea", or with a spend that changes in total
 * "spend changes: sea +754 EUR, meta -300 EUR". */
static void say_moves(sink *out, mpi_lang lang, const mp_whatif *w, const double *dx, double tol)
{
    char up[MPI_TEXT_MAX / 2], down[MPI_TEXT_MAX / 2], v[64], text[MPI_TEXT_MAX];
    double gain, loss;
    size_t nup = moved_list(lang, w, dx, 1, tol, 0, up, sizeof up, &gain);
    size_t ndown = moved_list(lang, w, dx, -1, tol, 0, down, sizeof down, &loss);
    int balanced = nup && ndown && fabs(gain - loss) <= tol;
    if (!balanced) { /* each change with its amount */
        nup = moved_list(lang, w, dx, 1, tol, 1, up, sizeof up, &gain);
        ndown = moved_list(lang, w, dx, -1, tol, 1, down, sizeof down, &loss);
    }
    if (!nup && !ndown) {
        snprintf(text, sizeof text, mpi_tr(lang, "no channel's spend moves by %s %s or more"), "1",
                 w->plan->currency);
    } else if (balanced) {
        mpi_fmt_num(lang, v, sizeof v, gain, 0);
        snprintf(text, sizeof text, mpi_tr(lang, "%s %s move from %s to %s"), v, w->plan->currency,
                 down, up);
    } else {
        snprintf(text, sizeof text, mpi_tr(lang, "spend changes: %s%s%s"), up,
                 nup && ndown ? ", " : "", down);
    }
    put_line(out, text);
}

/* Whether the run's axis moves channel c's prices (inflation, a unit cost). */
static int axis_moves(const mp_whatif *w, size_t c)
{
    return w->ax[0].in && w->ax[0].in[c];
}

/* n of booked channel ch's units: "37 spots", "5 insertions". */
static void units_text(mpi_lang lang, const mpi_channel *ch, double n, char *b, size_t size)
{
    char v[64];
    unsigned long k = (unsigned long)fabs(n);
    mpi_fmt_num(lang, v, sizeof v, n, 0);
    snprintf(b, size,
             mpi_channel_press(ch) ? mpi_trn(lang, "%s insertion", "%s insertions", k)
                                   : mpi_trn(lang, "%s spot", "%s spots", k),
             v);
}

/* Whether channel c has the same units in every period of a and z. */
static int same_schedule(const mp_whatif *w, const mpi_scen *a, const mpi_scen *z, size_t c)
{
    size_t np = (size_t)w->plan->periods;
    for (size_t t = 0; t < np; t++)
        if (a->book_units[c * np + t] != z->book_units[c * np + t])
            return 0;
    return 1;
}

/* " at the higher cost" when the axis moves channel c's price and each of
 * its units costs more in z than in a (" at the lower cost": less). */
static const char *cost_words(mpi_lang lang, const mp_whatif *w, const mpi_scen *a,
                              const mpi_scen *z, size_t c)
{
    double na = mpi_scen_units(w, a, c), nz = mpi_scen_units(w, z, c);
    if (!axis_moves(w, c) || !(na > 0) || !(nz > 0))
        return "";
    double pa = a->spend[c] / na, pz = z->spend[c] / nz;
    if (fabs(pz - pa) <= 1e-9 * pa)
        return "";
    return pz > pa ? mpi_tr(lang, " at the higher cost") : mpi_tr(lang, " at the lower cost");
}

/* A booked channel's spots or insertions from a to z, with what its spend
 * does: "tf1: same 37 spots, +92,500 EUR at the higher cost", "rtl: from 26
 * to 16 spots, -18,000 EUR"; nothing when neither moves. Returns 1 when it
 * says something. */
static int say_booking(sink *out, mpi_lang lang, const mp_whatif *w, const mpi_scen *a,
                       const mpi_scen *z, size_t c, double tol)
{
    const mpi_channel *ch = &w->plan->ch[c];
    double na = mpi_scen_units(w, a, c), nz = mpi_scen_units(w, z, c);
    double dx = z->spend[c] - a->spend[c];
    int same = na == nz, schedule = same && same_schedule(w, a, z, c);
    if (schedule && fabs(dx) <= tol)
        return 0;
    char u[96], v[64], money[128] = "", text[MPI_TEXT_MAX];
    units_text(lang, ch, nz, u, sizeof u);
    if (fabs(dx) > tol) {
        fmt_signed(lang, v, sizeof v, dx, 0);
        snprintf(money, sizeof money, ", %s\u00a0%s", v, w->plan->currency);
    } else if (!schedule) { /* fewer, dearer spots for the same money */
        snprintf(money, sizeof money, "%s", mpi_tr(lang, ", same spend"));
    }
    const char *cost = cost_words(lang, w, a, z, c);
    mpi_fmt_num(lang, v, sizeof v, na, 0);
    if (schedule)
        snprintf(text, sizeof text, mpi_tr(lang, "%s: same %s%s%s"), ch->name, u, money, cost);
    else if (same)
        snprintf(text, sizeof text,
                 w->plan->period_kind == MPI_WEEK ? mpi_tr(lang, "%s: same %s in other weeks%s%s")
                                                  : mpi_tr(lang, "%s: same %s in other months%s%s"),
                 ch->name, u, money, cost);
    else
        snprintf(text, sizeof text, mpi_tr(lang, "%s: from %s to %s%s%s"), ch->name, v, u, money,
                 cost);
    put_line(out, text);
    return 1;
}

/* Whether some channel's spend moves by more than tol. */
static int any_moves(const double *dx, size_t n, double tol)
{
    for (size_t c = 0; c < n; c++)
        if (fabs(dx[c]) > tol)
            return 1;
    return 0;
}

/* Why channel c spends more for fewer clicks from a to z: with bids held at
 * a ceiling its keywords pay more per click as competing bids rise; its
 * clicks still return more than the money elsewhere (a min plan: they are
 * still the cheapest way to its target). */
static void why_dearer(mpi_lang lang, const mp_whatif *w, const mpi_report_scenario *z, size_t c,
                       double dx, char *b, size_t n)
{
    char v[64], sh[64];
    mpi_fmt_num(lang, v, sizeof v, dx, 0);
    double at = z->s->spend[c] > 0 ? z->s->ceiling_spend[c] / z->s->spend[c] : 0;
    mpi_fmt_num(lang, sh, sizeof sh, 100 * at, 0);
    if (at >= 0.005)
        snprintf(b, n,
                 mpi_tr(lang, ": it spends %s %s more for fewer clicks, as %s %% of its spend is "
                              "on keywords bid at their max_cpc ceiling, which pay more per click "
                              "when competing bids rise"),
                 v, w->plan->currency, sh);
    else
        snprintf(b, n, mpi_tr(lang, ": it spends %s %s more for fewer clicks, each dearer"), v,
                 w->plan->currency);
    strncat(b,
            w->plan->obj_sense > 0
                ? mpi_tr(lang, "; its clicks still return more than the money would elsewhere")
                : mpi_tr(lang, "; its clicks are still the cheapest way to the plan's target"),
            n - strlen(b) - 1);
}

/* "sea: average CPC from 0.78 to 0.80 EUR (+3.0 %), clicks from 164,643 to
 * 161,419 (-2.0 %)", for a channel with clicks whose CPC the axis moves or
 * that changes by 1 % or more. */
static void say_channel(sink *out, mpi_lang lang, const mp_whatif *w, const mpi_report_scenario *a,
                        const mpi_report_scenario *z, size_t c, double tol)
{
    double ca = a->cpc[c], cz = z->cpc[c];
    if (isnan(ca) || isnan(cz) || (!axis_moves(w, c) && fabs(rel_change(ca, cz)) < 0.01))
        return;
    const double *ka = &a->s->ch_kpi[c * MPI_NKPI], *kz = &z->s->ch_kpi[c * MPI_NKPI];
    char p0[64], p1[64], pc[64], k0[64], k1[64], kc[64], text[MPI_TEXT_MAX], why[MPI_TEXT_MAX];
    mpi_fmt_num(lang, p0, sizeof p0, ca, 2);
    mpi_fmt_num(lang, p1, sizeof p1, cz, 2);
    fmt_change(lang, pc, sizeof pc, rel_change(ca, cz));
    mpi_fmt_num(lang, k0, sizeof k0, ka[MPI_CLICKS], 0);
    mpi_fmt_num(lang, k1, sizeof k1, kz[MPI_CLICKS], 0);
    fmt_change(lang, kc, sizeof kc, rel_change(ka[MPI_CLICKS], kz[MPI_CLICKS]));
    snprintf(text, sizeof text,
             mpi_tr(lang, "%s: average CPC from %s to %s %s (%s), clicks from %s to %s (%s)"),
             w->plan->ch[c].name, p0, p1, w->plan->currency, pc, k0, k1, kc);
    double dx = z->s->spend[c] - a->s->spend[c];
    if (dx > tol && kz[MPI_CLICKS] < ka[MPI_CLICKS]) {
        why_dearer(lang, w, z, c, dx, why, sizeof why);
        strncat(text, why, sizeof text - strlen(text) - 1);
    }
    put_line(out, text);
}

static void reading(sink *k, mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr)
{
    size_t ia = 0, iz = 0, nch = w->plan->nch;
    if (w->nax != 1 || !reading_ends(wr, &ia, &iz))
        return;
    const mpi_report_scenario *a = &wr->scen[ia], *z = &wr->scen[iz];
    double *dx = mpi_calloc(nch ? nch : 1, sizeof *dx);
    if (!dx) {
        k->st = mpi_nomem();
        return;
    }
    for (size_t c = 0; c < nch; c++)
        dx[c] = z->s->spend[c] - a->s->spend[c];
    double tol = fmax(0.5, 1e-6 * fmax(a->s->kpi[MPI_SPEND], z->s->kpi[MPI_SPEND]));
    if (k->out)
        fputc('\n', k->out);
    say_objective(k, lang, w, wr, a, z);
    int said = 0; /* booked channels: their spots with their spend */
    for (size_t c = 0; c < nch; c++)
        if (!isnan(mpi_scen_units(w, a->s, c)) && !isnan(mpi_scen_units(w, z->s, c))) {
            said |= say_booking(k, lang, w, a->s, z->s, c, tol);
            dx[c] = 0;
        }
    if (!said || any_moves(dx, nch, tol))
        say_moves(k, lang, w, dx, tol);
    for (size_t c = 0; c < nch; c++)
        say_channel(k, lang, w, a, z, c, tol);
    free(dx);
}

void mpi_whatif_reading(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr)
{
    sink k = {out, NULL, MP_OK};
    reading(&k, lang, w, wr); /* out of memory: the table is printed, the reading a courtesy */
}

mp_status mpi_whatif_reading_lines(mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr,
                                   mpi_strlist *lines)
{
    sink k = {NULL, lines, MP_OK};
    reading(&k, lang, w, wr);
    return k.st;
}

/* Note t added to buf: "  (t)" on the terminal, else after "; " when buf
 * has one already. */
static void add_note(int terminal, const char *t, char *buf, size_t n)
{
    size_t len = strlen(buf);
    if (terminal)
        snprintf(buf + len, n - len, "  (%s)", t);
    else
        snprintf(buf + len, n - len, "%s%s", *buf ? "; " : "", t);
}

void mpi_scen_draws_notes(mpi_lang lang, const mp_whatif *w, const mpi_scen *s, int terminal,
                          char *buf, size_t n)
{
    char t[MPI_TEXT_MAX];
    if (s->draws_stopped)
        add_note(terminal, mpi_tr(lang, "chosen for the average, not yet for the bad draws"), buf,
                 n);
    for (size_t i = 0; s->hold && i < w->plan->ncons; i++) {
        mpi_hold_scen_text(w->plan, s->hold, i, lang, t, sizeof t);
        if (*t)
            add_note(terminal, t, buf, n);
    }
}
