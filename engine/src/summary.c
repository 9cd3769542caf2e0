/* The terminal summary: objective, channels, media split, KPIs, binding rows.
 * It renders the report view (report.h) and prints only to the caller's
 * stream. */
#include "whatif.h"

#include <string.h>

/* The widest a column of channel names grows: the channel table stays
 * within 100 columns; a longer name takes a line of its own. */
#define NAME_COLS_MAX 28
/* The sentences that could pass it are wrapped to this many columns. */
#define LINE_COLS 100

static double pct(double share)
{
    return 100 * share;
}

/* A share as "33.2%" / "33,2 %" (French puts a no-break space before the
 * sign, as mpi_fmt_pct does; the English table keeps its narrow form). */
static void fmt_share(mpi_lang lang, char *b, size_t n, double share)
{
    char v[48];
    mpi_fmt_num(lang, v, sizeof v, pct(share), 1);
    snprintf(b, n, lang == MPI_LANG_FR ? "%s\u00a0%%" : "%s%%", v);
}

/* "Name — Client — budget 450,000 EUR" (the client when there is one). */
static void print_title(FILE *out, mpi_lang lang, const mp_plan *plan, const char *middle)
{
    char budget[64];
    mpi_fmt_num(lang, budget, sizeof budget, plan->budget, 0);
    /* plan.c names a plan without [plan] name so; the reader's words for it */
    const char *name =
        strcmp(plan->name, "Untitled plan") ? plan->name : mpi_tr(lang, N_("Untitled plan"));
    fprintf(out, "%s%s%s%s", name, *plan->client ? " — " : "", plan->client, middle);
    fputs(" — ", out);
    fprintf(out, mpi_tr(lang, "budget %s %s"), budget, plan->currency);
    fputc('\n', out);
}

/* "max" / "min" as the objective line says it: the French line reads
 * "conversions au maximum" (its msgstr puts the KPI first). */
static const char *sense_word(mpi_lang lang, const char *sense)
{
    return strcmp(sense, "min") ? mpi_trc(lang, "objective", "max")
                                : mpi_trc(lang, "objective", "min");
}

/* A plan held to effective reach over several channels and booking nothing
 * (effective_grid.c): how, and the search's steps. The grid's best is no
 * proof of the best plan: the objective line's gap says how far it may be. */
static void print_grid(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char steps[MPI_TEXT_MAX];
    mpi_grid_steps_text_in(lang, steps, sizeof steps, r->sol);
    fprintf(out,
            r->plan->obj_eff
                ? mpi_tr(lang, "effective reach over several channels: held on a grid of each "
                               "channel's levels (%s)")
                : mpi_tr(lang, "effective reach over several channels: held on a grid of each "
                               "channel's levels, refined around the plan found (%s)"),
            steps);
    fputc('\n', out);
}

/* GRP with one decimal, none when it is whole: "40", "52.5", "144.5". */
static void fmt_grp(mpi_lang lang, char *b, size_t n, double v)
{
    mpi_fmt_num(lang, b, n, v, fabs(v - round(v)) < 0.05 ? 0 : 1);
}

/* The summary's lines are wrapped to this many terminal columns. */
#define LINE_COLS 100

/* Booked channel c's whole spots or insertions by period, with the GRP of
 * a TV or radio period on air, as a schedule is read: "tf1 spots by period:
 * 16 (40 GRP) 21 (52.5 GRP) 0 0", wrapped at LINE_COLS. */
static void print_units(FILE *out, mpi_lang lang, const mpi_report *r, size_t c)
{
    const mpi_channel *ch = &r->plan->ch[c];
    const double *units = &r->sol->book_units[c * r->nperiods];
    char head[256], item[96], n[48], grp[48];
    snprintf(head, sizeof head,
             mpi_channel_press(ch) ? mpi_tr(lang, "%s insertions by period:")
                                   : mpi_tr(lang, "%s spots by period:"),
             ch->name);
    fputs(head, out);
    int used = mpi_text_cols(head);
    for (size_t t = 0; t < r->nperiods; t++) {
        double g = mpi_report_period_kpi(r, c, t, MPI_GRP);
        mpi_fmt_num(lang, n, sizeof n, units[t], 0);
        if (mpi_channel_airtime(ch) && units[t] > 0 && g > 0) {
            fmt_grp(lang, grp, sizeof grp, g);
            snprintf(item, sizeof item, mpi_tr(lang, "%s (%s GRP)"), n, grp);
        } else {
            snprintf(item, sizeof item, "%s", n);
        }
        int wd = mpi_text_cols(item);
        if (used + 1 + wd > LINE_COLS) { /* under the first figure's line, indented */
            fputs("\n  ", out);
            used = 2;
        } else {
            fputc(' ', out);
            used++;
        }
        fputs(item, out);
        used += wd;
    }
    fputc('\n', out);
}

/* A booked plan's MIP (mip.c): the verdict in a planner's words, branch and
 * cut's own, and each booked channel's spots or insertions by period. */
static void print_mip(FILE *out, mpi_lang lang, const mpi_report *r)
{
    const mp_solution *sol = r->sol;
    char text[MPI_TEXT_MAX], branch[MPI_TEXT_MAX];
    if (!mpi_plan_books_channels(r->plan)) { /* held to effective reach only: nothing booked */
        print_grid(out, lang, r);
        return;
    }
    mpi_booked_text_in(lang, text, sizeof text, sol);
    /* what the booking rules cost against buying freely: the objective line says it */
    mpi_branch_text_in(lang, branch, sizeof branch, sol);
    fprintf(out, mpi_tr(lang, "booked plan: %s (search: %s)"), text, branch);
    fputc('\n', out);
    for (size_t c = 0; sol->book_units && c < r->plan->nch; c++)
        if (mpi_channel_booked(&r->plan->ch[c]) && !isnan(sol->book_units[c * r->nperiods]))
            print_units(out, lang, r, c);
}

/* What the objective maximises or minimises, as the objective line names
 * it: max effective_reach names its channels and exposures. */
static void objective_label(mpi_lang lang, const mpi_report *r, char *buf, size_t n)
{
    if (r->plan->obj_eff)
        mpi_effective_objective_label(lang, r->plan, buf, n);
    else
        snprintf(buf, n, "%s", mpi_tr(lang, r->obj.kpi));
}

/* The objective line of a solved plan, wrapped at LINE_COLS. */
static void print_objective(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char value[64], certified[MPI_TEXT_MAX];
    /* one decimal: the gap is stated to a few hundredths of a percent */
    mpi_fmt_num(lang, value, sizeof value, r->objective, r->objective != 0 ? 1 : 0);
    mpi_certified_text_in(lang, certified, sizeof certified, r->gap, r->bound_of);
    /* uncertain curves: a max plan's objective is the mean over the draws
     * (a min plan's cost is certain) */
    char unit[128], kpi[640];
    objective_label(lang, r, kpi, sizeof kpi);
    snprintf(unit, sizeof unit,
             r->sol->quant && r->plan->obj_sense > 0 ? mpi_tr(lang, "%s expected") : "%s",
             mpi_tr(lang, r->obj.unit));
    char line[MPI_TEXT_MAX];
    snprintf(line, sizeof line, mpi_tr(lang, "objective: %s %s -> %s %s (%s%s; %s)"),
             sense_word(lang, r->obj.sense), kpi, value, unit,
             r->sol->result == MP_RESULT_OPTIMAL
                 ? mpi_tr(lang, "optimal")
                 : mpi_tr(lang, "stopped at the time limit, not proven optimal"),
             r->sol->booked && !mpi_plan_books_channels(r->plan)
                 ? mpi_tr(lang, ", effective reach over several channels held level by level")
             : r->sol->booked ? mpi_tr(lang, ", as booked")
             : r->sol->risk && r->sol->risk->stopped
                 ? mpi_tr(lang, ", chosen for the average, not yet for the bad draws")
             : r->sol->risk ? mpi_tr(lang, ", chosen for the bad draws")
             : r->sol->hold && mpi_plan_must_hold(r->plan)
                 ? mpi_tr(lang, ", constraints held in every draw")
             : r->sol->lp.mip ? mpi_tr(lang, ", each curve bought from its first euros")
                              : "",
             certified);
    mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
    if (r->sol->booked)
        print_mip(out, lang, r);
}

/* The title and the objective line; without a plan, its status. */
static void print_head(FILE *out, mpi_lang lang, const mpi_report *r)
{
    const mp_plan *plan = r->plan;
    char middle[160], day[32], span[128];
    unsigned long np = (unsigned long)plan->periods;
    mpi_fmt_day(lang, day, sizeof day, plan->start);
    snprintf(span, sizeof span,
             plan->period_kind == MPI_WEEK
                 ? mpi_trn(lang, "%lu week from %s", "%lu weeks from %s", np)
                 : mpi_trn(lang, "%lu month from %s", "%lu months from %s", np),
             np, day);
    snprintf(middle, sizeof middle, " — %s", span);
    print_title(out, lang, plan, middle);
    if (!r->solved) {
        char kpi[640];
        objective_label(lang, r, kpi, sizeof kpi);
        fprintf(out, mpi_tr(lang, "objective: %s %s -> %s"), sense_word(lang, r->obj.sense), kpi,
                mpi_tr(lang, r->status));
        fputc('\n', out);
        return;
    }
    print_objective(out, lang, r);
    /* What the plan cannot do is said next to the figure it qualifies. */
    size_t nw = r->sol->diag.warn.n;
    if (nw) {
        fprintf(out,
                mpi_trn(lang,
                        "this plan cannot do all it asks: %zu warning (standard error, JSON, "
                        "Assumptions sheet)",
                        "this plan cannot do all it asks: %zu warnings (standard error, JSON, "
                        "Assumptions sheet)",
                        nw),
                nw);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static int baseline_extra_kpi(const mpi_report *r);

/* The table's header: the return KPI and its marginal unit per k-currency.
 * Its words are short (the columns' widths): a context of their own. */
static void print_channel_head(FILE *out, mpi_lang lang, const mpi_report *r, int name_cols,
                               int type_cols)
{
    int rq = r->obj.return_q;
    char unit[32], unit_per[64];
    mpi_return_unit(r, lang, unit, sizeof unit);
    if (r->eff_marginal_k > 0) /* what a min plan's effective-reach floor gains */
        snprintf(unit_per, sizeof unit_per,
                 mpi_trc(lang, "terminal column", "marginal %d+ reach/k%s"), r->eff_marginal_k,
                 r->plan->currency);
    else
        snprintf(unit_per, sizeof unit_per, mpi_trc(lang, "terminal column", "marginal %s"), unit);
    int q = baseline_extra_kpi(r);
    const mpi_cell head[] = {{mpi_trc(lang, "terminal column", "channel"), name_cols, 0},
                             {mpi_trc(lang, "terminal column", "type"), type_cols, 0},
                             {mpi_trc(lang, "terminal column", "spend"), 12, 1},
                             {mpi_trc(lang, "terminal column", "share"), 7, 1},
                             {mpi_tr(lang, mpi_kpi_names[rq]), 12, 1},
                             {rq == MPI_CONVERSIONS ? mpi_trc(lang, "terminal column", "CPA")
                                                    : mpi_trc(lang, "terminal column", "cost/unit"),
                              9, 1},
                             {q >= 0 ? mpi_tr(lang, r->obj.unit) : "", 10, 1}};
    /* a min plan's own KPI (kg CO2e) after the return's */
    mpi_put_row(out, head, sizeof head / sizeof head[0] - (q < 0));
    fprintf(out, "  %s\n", unit_per);
}

/* One row of the channel table after its name: type, spend, share, return,
 * cost per unit of return; the marginal return after it is the caller's. */
static void put_channel_cells(FILE *out, mpi_lang lang, const char *type, int type_cols,
                              const double v[5], int extra)
{
    char a[64], b[64], c[64], e[64], sh[32];
    mpi_fmt_num(lang, a, sizeof a, v[0], 0);
    fmt_share(lang, sh, sizeof sh, v[1]);
    mpi_fmt_num(lang, b, sizeof b, v[2], fabs(v[2]) < 100 && v[2] != 0 ? 1 : 0);
    if (isnan(v[3]))
        snprintf(c, sizeof c, "-");
    else
        mpi_fmt_num(lang, c, sizeof c, v[3], 2);
    mpi_fmt_num(lang, e, sizeof e, v[4], fabs(v[4]) < 100 && v[4] != 0 ? 1 : 0);
    const mpi_cell cells[] = {{"", 0, 0}, {type, type_cols, 0}, {a, 12, 1},
                              {sh, 7, 1}, {b, 12, 1},           {c, 9, 1},
                              {e, 10, 1}};
    mpi_put_row(out, cells, sizeof cells / sizeof cells[0] - !extra);
}

/* The channel column: as wide as the longest channel name (of those with a
 * line of their own in "what stops each channel" when limited_only), least
 * columns at least and most at most (a longer name takes a line of its own). */
static int name_width(const mpi_report *r, int least, int most, int limited_only)
{
    int wd = least;
    for (size_t i = 0; i < r->nch; i++)
        if ((!limited_only || mpi_limit_own_line(&r->ch[i])) && mpi_text_cols(r->ch[i].name) > wd)
            wd = mpi_text_cols(r->ch[i].name);
    return wd < most ? wd : most;
}

/* The type column: as wide as its longest word in lang ("réseaux sociaux"), 7
 * at least. */
static int type_width(mpi_lang lang, const mpi_report *r)
{
    int wd = 7;
    for (size_t i = 0; i < r->nch; i++)
        if (mpi_text_chars(mpi_media_label(lang, r->ch[i].media)) > wd)
            wd = mpi_text_chars(mpi_media_label(lang, r->ch[i].media));
    return wd;
}

static void print_channels(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char d[64];
    int rq = r->obj.return_q, tw = type_width(lang, r), nw = name_width(r, 18, NAME_COLS_MAX, 0);
    int q = baseline_extra_kpi(r);
    print_channel_head(out, lang, r, nw, tw);
    for (size_t i = 0; i < r->nch; i++) {
        const mpi_report_channel *ch = &r->ch[i];
        if ((r->sol && r->sol->trivial) || mpi_booked_off(r, i)) /* nothing priced */
            snprintf(d, sizeof d, "-");
        else if (isnan(mpi_report_marginal(r, i)))
            snprintf(d, sizeof d, "%s", mpi_tr(lang, "saturated"));
        else
            mpi_fmt_num(lang, d, sizeof d, mpi_report_marginal(r, i) * 1000, 2);
        const double v[5] = {ch->spend, ch->share, ch->kpi[rq], ch->per_return,
                             q >= 0 ? ch->kpi[q] : 0};
        mpi_put_name(out, ch->name, nw, 0);
        put_channel_cells(out, lang, mpi_media_label(lang, ch->media), tw, v, q >= 0);
        fprintf(out, "  %s\n", d);
    }
    double total = r->total_spend;
    const double v[5] = {total, total > 0 ? 1.0 : 0, r->kpi[rq],
                         r->kpi[rq] > 0 ? total / r->kpi[rq] : NAN, q >= 0 ? r->kpi[q] : 0};
    mpi_put_left(out, mpi_trc(lang, "terminal column", "total"), nw);
    put_channel_cells(out, lang, "", tw, v, q >= 0);
    fputs("\n\n", out);
}

/* A sentence under a heading, two columns in, a longer one wrapped at
 * LINE_COLS under itself; nothing for "". */
static void print_indented(FILE *out, const char *text)
{
    if (!*text)
        return;
    fputs("  ", out);
    mpi_put_wrapped(out, text, 2, LINE_COLS, 4);
}

/* What stops each channel from getting more; those on the margin in one
 * line, their figures beside the budget's. */
static void print_limits(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char text[MPI_TEXT_MAX];
    size_t n = 0;
    for (size_t i = 0; i < r->nch; i++)
        n += mpi_limit_own_line(&r->ch[i]);
    if (!n)
        return;
    fprintf(out, "%s\n", mpi_tr(lang, "what stops each channel:"));
    int nw = name_width(r, 16, NAME_COLS_MAX, 1);
    for (size_t i = 0; i < r->nch; i++) {
        if (!mpi_limit_own_line(&r->ch[i]))
            continue;
        fprintf(out, "  ");
        mpi_put_name(out, r->ch[i].name, nw, 2);
        mpi_limit_text_in(r, i, lang, text, sizeof text);
        fputc(' ', out); /* a longer text goes on under itself */
        mpi_put_wrapped(out, text, nw + 3, LINE_COLS, nw + 3);
    }
    mpi_margin_line(r, lang, text, sizeof text);
    print_indented(out, text);
    mpi_margin_precision(r, lang, text, sizeof text);
    print_indented(out, text);
    fputc('\n', out);
}

/* The plan's families, then digital and offline. */
static void print_media(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char a[32], b[32];
    fputs(mpi_tr(lang, "media:"), out);
    for (size_t m = 0; m < r->nfamilies; m++)
        if (r->media[m].present) {
            fmt_share(lang, a, sizeof a, r->media[m].share);
            fprintf(out, " %s %s", mpi_media_label(lang, r->media[m].name), a);
        }
    fmt_share(lang, a, sizeof a, r->media[r->nfamilies].share);
    fmt_share(lang, b, sizeof b, r->media[r->nfamilies + 1].share);
    fprintf(out, mpi_tr(lang, "; %s %s, %s %s"), mpi_media_label(lang, r->media[r->nfamilies].name),
            a, mpi_media_label(lang, r->media[r->nfamilies + 1].name), b);
    fputc('\n', out);
}

/* A figure with thousands separators, one decimal below 100, as lang writes it. */
static void fmt_in(mpi_lang lang, char *b, size_t n, double v)
{
    mpi_fmt_num(lang, b, n, v, fabs(v) < 100 && v != 0 ? 1 : 0);
}

/* "kpis: impressions 49,020,540, clicks 301,777, …": the KPIs the plan
 * measures (mpi_report.measured), wrapped at LINE_COLS. */
static void print_kpis(FILE *out, mpi_lang lang, const mpi_report *r)
{
    static const char *const word[MPI_NKPI] = {[MPI_IMPRESSIONS] = N_("impressions"),
                                               [MPI_CLICKS] = N_("clicks"),
                                               [MPI_CONVERSIONS] = N_("conversions"),
                                               [MPI_REVENUE] = N_("revenue"),
                                               [MPI_GRP] = N_("GRP"),
                                               [MPI_REACH] = N_("reach"),
                                               [MPI_CO2] = "CO2e"};
    const char *unit[MPI_NKPI] = {
        [MPI_REVENUE] = r->plan->currency, [MPI_REACH] = mpi_tr(lang, "people"), [MPI_CO2] = "kg"};
    char a[64], line[MPI_TEXT_MAX];
    int n = 0;
    size_t len = 0;
    for (int q = 0; q < MPI_NKPI && len < sizeof line; q++) {
        if (!word[q] || !r->measured[q])
            continue; /* a KPI no channel of the plan measures: its 0 would say nothing */
        if (q == MPI_GRP)
            fmt_grp(lang, a, sizeof a, r->kpi[q]); /* a half spot's GRP shows */
        else
            fmt_in(lang, a, sizeof a, r->kpi[q]);
        int k = snprintf(line + len, sizeof line - len, "%s %s %s%s%s",
                         n++ ? "," : mpi_tr(lang, "kpis:"), mpi_tr(lang, word[q]), a,
                         unit[q] ? " " : "", unit[q] ? unit[q] : "");
        len += k > 0 ? (size_t)k : 0;
    }
    if (n)
        mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
}

/* "effective reach (3+ exposures): 2,104,000 people; tf1 1,250,000 (3+), ...":
 * the plan's and each channel's that has one (effective.c). */
static void print_effective(FILE *out, mpi_lang lang, const mpi_report *r)
{
    if (!r->eff_any)
        return;
    char a[64];
    fputs(mpi_tr(lang, "effective reach"), out);
    if (r->eff_freq > 0) {
        fmt_in(lang, a, sizeof a, r->eff_reach);
        fprintf(out, mpi_tr(lang, " (%d+ exposures): %s people"), r->eff_freq, a);
    }
    const char *sep = mpi_tr(lang, r->eff_freq > 0 ? N_("; ") : N_(": "));
    for (size_t c = 0; c < r->nch; c++) {
        if (!(r->ch[c].eff_freq > 0))
            continue;
        fmt_in(lang, a, sizeof a, r->ch[c].eff_reach);
        fprintf(out, "%s%s %s (%d+)", sep, r->ch[c].name, a, r->ch[c].eff_freq);
        sep = ", ";
    }
    fputc('\n', out);
}

/* What carries over (adstock.c): each channel's rate and what it brings in
 * from before the plan, and the response after the plan when it counts. */
static void print_carryover(FILE *out, mpi_lang lang, const mpi_report *r)
{
    const mp_plan *plan = r->plan;
    char a[64], b[64];
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!(ch->adstock > 0))
            continue;
        fmt_in(lang, a, sizeof a, 100 * ch->adstock);
        fmt_in(lang, b, sizeof b, ch->carry_in);
        fprintf(out,
                mpi_tr(lang, plan->period_kind == MPI_WEEK
                                 ? N_("carryover: %s keeps %s%% of its adstock from one week "
                                      "to the next; %s %s carried in from before the plan\n")
                                 : N_("carryover: %s keeps %s%% of its adstock from one month "
                                      "to the next; %s %s carried in from before the plan\n")),
                ch->name, a, b, plan->currency);
    }
    if (!r->sol->after_kpi || plan->count_after <= 0)
        return;
    int q = r->obj.return_q;
    if (q != MPI_CLICKS && q != MPI_REVENUE)
        q = MPI_CONVERSIONS;
    fmt_in(lang, a, sizeof a, r->sol->after_total[q]);
    fprintf(out,
            mpi_trn(lang,
                    "after the plan: %s %s more in the %d period after it, from what the plan "
                    "carries over (counted in the objective)\n",
                    "after the plan: %s %s more in the %d periods after it, from what the plan "
                    "carries over (counted in the objective)\n",
                    (unsigned long)plan->count_after),
            a, q == MPI_REVENUE ? plan->currency : mpi_tr(lang, mpi_kpi_names[q]),
            plan->count_after);
}

static double unsigned_zero(double v, int dec);
static void fmt_pct1(mpi_lang lang, char *b, size_t n, double percent, int sign);

/* The unit of the quantiles' KPI: the currency for revenue. */
static const char *draws_unit(mpi_lang lang, const mp_plan *plan, const mpi_quantiles *qs)
{
    return qs->q == MPI_REVENUE ? plan->currency : mpi_tr(lang, mpi_kpi_names[qs->q]);
}

/* A min plan's target over the draws: how often it is met, when it holds
 * in expectation only. */
static void print_draws_target(FILE *out, mpi_lang lang, const mpi_report *r,
                               const mpi_quantiles *qs)
{
    if (qs->target < 0 || isnan(qs->met) || mpi_cons_must_hold(r->plan, (size_t)qs->target))
        return; /* held in every draw: hold.c's line says so */
    char m[48];
    fmt_pct1(lang, m, sizeof m, unsigned_zero(100 * qs->met, 1), 0);
    fprintf(out,
            r->plan->draws_independent
                ? mpi_tr(lang, "  target \"%s\": met in %s of the combinations of draws (the plan "
                               "meets it in expectation, on average over them)\n")
                : mpi_tr(lang, "  target \"%s\": met in %s of the draws (the plan meets it in "
                               "expectation, on average over them)\n"),
            r->plan->cons[qs->target].text, m);
}

/* The plan over the draws of its uncertain curves (uncertain.c): the
 * expected figure (the mean over the draws) and P10 / P50 / P90, then each
 * uncertain channel's, then a min plan's target. */
static void print_draws(FILE *out, mpi_lang lang, const mpi_report *r)
{
    const mpi_quantiles *qs = r->sol->quant;
    if (!qs)
        return;
    const mp_plan *plan = r->plan;
    char m[64], lo[64], mid[64], hi[64], basis[MPI_TEXT_MAX];
    mpi_draws_basis_text(lang, plan, qs, basis, sizeof basis);
    fmt_in(lang, m, sizeof m, qs->obj.mean);
    fmt_in(lang, lo, sizeof lo, qs->obj.p10);
    fmt_in(lang, mid, sizeof mid, qs->obj.p50);
    fmt_in(lang, hi, sizeof hi, qs->obj.p90);
    /* three points weighted 1/6, 2/3, 1/6: P10 is the worst, P90 the best */
    fprintf(out,
            !plan->draws_independent && mpi_draws_three_points(plan)
                ? mpi_tr(lang, "uncertain curves: %s %s expected (the mean over %s); the worst "
                               "point brings %s (P10), the best %s (P90), the median one %s\n")
                : mpi_tr(lang, "uncertain curves: %s %s expected (the mean over %s); 1 in 10 "
                               "brings %s or less (P10), 1 in 10 %s or more (P90); median %s\n"),
            m, draws_unit(lang, plan, qs), basis, lo, hi, mid);
    for (size_t c = 0; c < plan->nch; c++) {
        if (!qs->ch_nd[c])
            continue;
        fmt_in(lang, m, sizeof m, qs->ch[c].mean);
        fmt_in(lang, lo, sizeof lo, qs->ch[c].p10);
        fmt_in(lang, mid, sizeof mid, qs->ch[c].p50);
        fmt_in(lang, hi, sizeof hi, qs->ch[c].p90);
        fprintf(out, mpi_tr(lang, "  %s: %s expected; P10 %s, median %s, P90 %s\n"),
                plan->ch[c].name, m, lo, mid, hi);
    }
    print_draws_target(out, lang, r, qs);
}

/* A risk plan against the mean-optimal plan (risk.c). */
static void print_risk(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char line[MPI_TEXT_MAX];
    for (int k = 0; r->sol->risk && k < 3; k++) {
        mpi_risk_text(r->sol, lang, k, line, sizeof line);
        if (*line)
            fprintf(out, "%s\n", line);
    }
    for (size_t i = 0; r->sol->hold && i < r->plan->ncons; i++) { /* hold.c's lines */
        mpi_hold_text(r->sol, i, lang, line, sizeof line);
        if (*line)
            fprintf(out, "%s\n", line);
    }
}

/* The binding rows in words: "limit reached: the budget of 450,000 EUR —
 * 1 kEUR more brings …", a longer line wrapped at LINE_COLS. */
static void print_binding(FILE *out, mpi_lang lang, const mpi_report *r)
{
    char line[MPI_TEXT_MAX];
    for (size_t i = 0; i < r->nrows; i++)
        if (r->row[i].binding) {
            mpi_binding_line(r, &r->row[i], lang, line, sizeof line);
            mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
        }
    mpi_unspent_text(r, lang, line, sizeof line);
    if (*line)
        mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
}

static double unsigned_zero(double v, int dec);
/* How fmt_c writes a number. */
enum { ONE_DECIMAL, SIGNED_ONE_DECIMAL, FOUR_DIGITS };
static void fmt_c(mpi_lang lang, char *b, size_t n, int how, double v);

/* ---- against the planner's current plan ([plan] baseline) ------------------ */

/* A broken row's measure as its bound is written: a share or ROAS in
 * percent, money in the plan's currency, a KPI in its unit. */
static void fmt_measure(mpi_lang lang, char *b, size_t n, const mp_plan *plan,
                        const mpi_baseline_break *k)
{
    const mpi_expr *e = k->cons ? &k->cons->e : NULL;
    char v[48];
    fmt_in(lang, v, sizeof v, k->value);
    if (e && (e->measure == MPI_M_SHARE || e->measure == MPI_M_ROAS)) {
        mpi_fmt_num(lang, v, sizeof v, 100 * k->value, 1);
        snprintf(b, n, "%s%s", v, mpi_pct_sign(lang));
    } else if (isnan(k->value)) {
        snprintf(b, n, "%s", mpi_tr(lang, "spend and no conversions"));
    } else if (!e || e->measure == MPI_M_CPA || !*mpi_kpi_units[mpi_expr_bound_kpi(e)]) {
        snprintf(b, n, "%s %s", v, plan->currency);
    } else { /* a reach written in % in that unit too: "2,105,068 people (10.5 %)" */
        char share[48];
        mpi_reach_share_suffix(lang, plan, e, k->cons->text, k->value, share, sizeof share);
        snprintf(b, n, "%s %s%s", v, mpi_tr(lang, mpi_kpi_units[mpi_expr_bound_kpi(e)]), share);
    }
}

/* "against the current plan (current.csv): 5,387.3 -> 7,087.7 conversions,
 * +1,700.5 (+31.6 %): the optimised plan does better" */
static void print_baseline_head(FILE *out, mpi_lang lang, const mpi_report *r,
                                const mpi_baseline *b)
{
    char now[64], opt[64], d[64];
    double up = r->objective - b->objective;
    mpi_fmt_num(lang, now, sizeof now, b->objective, 1);
    mpi_fmt_num(lang, opt, sizeof opt, r->objective, 1);
    mpi_fmt_num(lang, d, sizeof d, unsigned_zero(up, 1), 1);
    const char *file = strrchr(r->plan->baseline_path, '/');
    fputc('\n', out);
    fprintf(out, mpi_tr(lang, "against the current plan (%s): %s -> %s %s, %s%s"),
            file ? file + 1 : r->plan->baseline_path, now, opt, mpi_tr(lang, r->obj.unit),
            up > 0 ? "+" : "", d);
    if (b->objective != 0) {
        fmt_c(lang, d, sizeof d, SIGNED_ONE_DECIMAL,
              unsigned_zero(100 * up / fabs(b->objective), 1));
        fprintf(out, " (%s%s)", d, mpi_pct_sign(lang));
    }
    /* a min plan's "+" is more of what it cuts: say which way is better */
    if (unsigned_zero(up, 1) != 0)
        fputs(up * r->plan->obj_sense > 0 ? mpi_tr(lang, ": the optimised plan does better")
                                          : mpi_tr(lang, ": the optimised plan does worse"),
              out);
    fputc('\n', out);
}

/* "effective reach (3+ exposures): 2,912,001 -> 4,159,757 people (+42.8 %)",
 * in a plan with [plan] effective_frequency. */
static void print_baseline_effective(FILE *out, mpi_lang lang, const mpi_report *r,
                                     const mpi_baseline *b)
{
    char now[64], opt[64], d[64];
    if (!(r->eff_freq > 0) || isnan(b->eff_reach) || isnan(r->eff_reach))
        return;
    fmt_in(lang, now, sizeof now, b->eff_reach);
    fmt_in(lang, opt, sizeof opt, r->eff_reach);
    fprintf(out, mpi_tr(lang, "effective reach (%d+ exposures): %s -> %s people"), r->eff_freq, now,
            opt);
    if (b->eff_reach > 0) {
        fmt_c(lang, d, sizeof d, SIGNED_ONE_DECIMAL,
              unsigned_zero(100 * (r->eff_reach / b->eff_reach - 1), 1));
        fprintf(out, " (%s%s)", d, mpi_pct_sign(lang));
    }
    fputc('\n', out);
}

/* The KPI a min plan's tables show beside its return (CO2e), or -1: none
 * besides spend and the return. */
static int baseline_extra_kpi(const mpi_report *r)
{
    int q = r->plan->obj_kpi;
    return q == r->obj.return_q || q == MPI_SPEND || q < 0 || q >= MPI_NKPI ? -1 : q;
}

/* One line of the comparison after its name: spend, return and the extra
 * KPI (q >= 0), current -> optimised. */
static void put_baseline_cells(FILE *out, mpi_lang lang, const double now[MPI_NKPI],
                               const double opt[MPI_NKPI], int rq, int q)
{
    char s0[64], s1[64], k0[64], k1[64];
    mpi_fmt_num(lang, s0, sizeof s0, now[MPI_SPEND], 0);
    mpi_fmt_num(lang, s1, sizeof s1, opt[MPI_SPEND], 0);
    mpi_put_right(out, s0, 16);
    fputs(" -> ", out);
    mpi_put_right(out, s1, 9);
    for (int k = 0; k < 2; k++) {
        int kq = k ? q : rq;
        if (kq < 0)
            break;
        fmt_in(lang, k0, sizeof k0, now[kq]);
        fmt_in(lang, k1, sizeof k1, opt[kq]);
        fputs("   ", out);
        mpi_put_right(out, k0, 12);
        fputs(" -> ", out);
        if (k || q < 0)
            fputs(k1, out);
        else
            mpi_put_right(out, k1, 9);
    }
    fputc('\n', out);
}

/* The comparison's header: spend, the return KPI, the extra KPI (q >= 0). */
static void put_baseline_head(FILE *out, mpi_lang lang, const mpi_report *r, int nw, int q)
{
    char h[96], k[96];
    snprintf(h, sizeof h, mpi_tr(lang, "spend %s now -> optimised"), r->plan->currency);
    snprintf(k, sizeof k, mpi_tr(lang, "%s now -> optimised"),
             mpi_tr(lang, mpi_kpi_names[r->obj.return_q]));
    mpi_put_left(out, mpi_trc(lang, "terminal column", "channel"), nw);
    fputc(' ', out);
    mpi_put_right(out, h, 29);
    fputs("   ", out);
    if (q >= 0) {
        mpi_put_left(out, k, 25);
        snprintf(k, sizeof k, mpi_tr(lang, "%s now -> optimised"), mpi_tr(lang, r->obj.unit));
        fputs("   ", out);
    }
    fprintf(out, "%s\n", k);
}

/* The cost per conversion of both plans: "CPA 125.40 -> 149.05 EUR". */
static void put_baseline_cpa(FILE *out, mpi_lang lang, const mpi_report *r, const mpi_baseline *b)
{
    char a[64], c[64];
    double now = b->kpi[MPI_SPEND], opt = r->total_spend;
    double cn = b->kpi[MPI_CONVERSIONS], co = r->kpi[MPI_CONVERSIONS];
    if (cn > 0)
        mpi_fmt_num(lang, a, sizeof a, now / cn, 2);
    else
        snprintf(a, sizeof a, "-");
    if (co > 0)
        mpi_fmt_num(lang, c, sizeof c, opt / co, 2);
    else
        snprintf(c, sizeof c, "-");
    fputs("  ", out);
    fprintf(out, mpi_tr(lang, "CPA (cost per conversion) %s -> %s %s"), a, c, r->plan->currency);
    fputc('\n', out);
}

/* One line a channel: spend and return KPI (and a min plan's own KPI),
 * current -> optimised; then the totals and the CPA of both. */
static void print_baseline_channels(FILE *out, mpi_lang lang, const mpi_report *r,
                                    const mpi_baseline *b)
{
    int rq = r->obj.return_q, q = baseline_extra_kpi(r);
    char s1[64];
    int nw = name_width(r, 18, NAME_COLS_MAX, 0);
    put_baseline_head(out, lang, r, nw, q);
    for (size_t c = 0; c < r->nch; c++) {
        mpi_put_name(out, r->ch[c].name, nw, 0);
        fputc(' ', out);
        put_baseline_cells(out, lang, &b->ch_kpi[c * MPI_NKPI], r->ch[c].kpi, rq, q);
        if (b->unplaced[c] > 0) {
            mpi_fmt_num(lang, s1, sizeof s1, b->unplaced[c], 0);
            fputs("  ", out);
            fprintf(out,
                    mpi_tr(lang, "(%s %s more of the current plan finds nothing left to buy in "
                                 "its periods and is left out)"),
                    s1, r->plan->currency);
            fputc('\n', out);
        }
    }
    double opt[MPI_NKPI];
    memcpy(opt, r->kpi, sizeof opt);
    opt[MPI_SPEND] = r->total_spend;
    mpi_put_left(out, mpi_trc(lang, "terminal column", "total"), nw);
    fputc(' ', out);
    put_baseline_cells(out, lang, b->kpi, opt, rq, q);
    put_baseline_cpa(out, lang, r, b);
}

/* Each constraint and booking rule the current plan breaks, marked "!". */
static void print_baseline_broken(FILE *out, mpi_lang lang, const mpi_report *r,
                                  const mpi_baseline *b)
{
    char v[128];
    for (size_t i = 0; i < b->nbroken; i++) {
        const mpi_baseline_break *k = &b->broken[i];
        fmt_measure(lang, v, sizeof v, r->plan, k);
        fprintf(out, mpi_tr(lang, "! the current plan breaks %s (%s): it has %s"), k->name, k->expr,
                v);
        fputc('\n', out);
    }
    char line[MPI_TEXT_MAX];
    for (size_t i = 0; i < b->nbooking; i++) {
        mpi_baseline_booking_text(r->plan, &b->booking[i], lang, line, sizeof line);
        fprintf(out, "! %s\n", line);
    }
}

static void print_baseline(FILE *out, mpi_lang lang, const mpi_report *r)
{
    const mpi_baseline *b = r->sol->baseline;
    if (!b)
        return;
    print_baseline_head(out, lang, r, b);
    print_baseline_effective(out, lang, r, b);
    print_baseline_channels(out, lang, r, b);
    print_baseline_broken(out, lang, r, b);
}

/* The language a caller names, English for NULL; -1 for an unknown code. */
static int summary_lang(const char *code)
{
    return code ? mpi_lang_parse(code) : MPI_LANG_EN;
}

mp_status mp_solution_print_summary(const mp_solution *sol, FILE *out)
{
    return mp_solution_print_summary_in(sol, out, NULL);
}

mp_status mp_solution_print_summary_in(const mp_solution *sol, FILE *out, const char *lang)
{
    mpi_clear_error();
    const mpi_report *r = mpi_report_of(sol);
    if (!r || !out)
        return mpi_fail(MP_ERR_INPUT,
                        N_("mp_solution_print_summary: no solution or no stream given"));
    int l = summary_lang(lang);
    if (l < 0)
        return mpi_fail(MP_ERR_INPUT, N_("mp_solution_print_summary_in: unknown language \"%s\""),
                        lang);
    print_head(out, (mpi_lang)l, r);
    if (!r->solved)
        return MP_OK;
    print_channels(out, (mpi_lang)l, r);
    print_limits(out, (mpi_lang)l, r);
    print_media(out, (mpi_lang)l, r);
    print_kpis(out, (mpi_lang)l, r);
    print_effective(out, (mpi_lang)l, r);
    print_carryover(out, (mpi_lang)l, r);
    print_draws(out, (mpi_lang)l, r);
    print_risk(out, (mpi_lang)l, r);
    print_binding(out, (mpi_lang)l, r);
    print_baseline(out, (mpi_lang)l, r);
    return MP_OK;
}

/* ---- what-if runs ------------------------------------------------------------ */

/* v as printed with dec decimals, with a value that rounds to zero made a
 * plain 0 (never "-0.0"). */
static double unsigned_zero(double v, int dec)
{
    return fabs(v) < 0.5 * pow(10, -dec) ? 0 : v;
}

/* v with one decimal (signed or not) or four significant digits, in lang: a
 * decimal comma in French; 1,000 and over whole and grouped as the tables'
 * other numbers ("1 505" in French, as the channel table's "1 098,64"). */
static void fmt_c(mpi_lang lang, char *b, size_t n, int how, double v)
{
    if (how == FOUR_DIGITS && fabs(v) >= 999.95)
        mpi_fmt_num(lang, b, n, v, 0);
    else if (how == FOUR_DIGITS)
        snprintf(b, n, "%.4g", v);
    else
        snprintf(b, n, how == SIGNED_ONE_DECIMAL ? "%+.1f" : "%.1f", v);
    for (char *p = b; lang == MPI_LANG_FR && *p; p++)
        if (*p == '.')
            *p = ',';
}

/* A percentage already times 100 with one decimal (sign: with its sign),
 * "12.5%" / "12,5 %". */
static void fmt_pct1(mpi_lang lang, char *b, size_t n, double percent, int sign)
{
    char v[48];
    fmt_c(lang, v, sizeof v, sign ? SIGNED_ONE_DECIMAL : ONE_DECIMAL, unsigned_zero(percent, 1));
    snprintf(b, n, lang == MPI_LANG_FR ? "%s\u00a0%%" : "%s%%", v);
}

static void fmt_axis(mpi_lang lang, char *b, size_t n, const mpi_axis *a, double v)
{
    if (a->pct)
        mpi_fmt_pct(lang, b, n, unsigned_zero(100 * v, 4));
    else
        mpi_fmt_num(lang, b, n, unsigned_zero(v, 2), fabs(v) < 100 ? 2 : 0);
}

void mpi_whatif_axis_text(mpi_lang lang, char *b, size_t n, const mpi_axis *a, double v)
{
    fmt_axis(lang, b, n, a, v);
}

/* An axis column is as wide as its name and its values. */
static int axis_width(mpi_lang lang, const mpi_axis *a)
{
    char b[64];
    int wd = mpi_text_chars(a->label);
    for (size_t i = 0; i < a->n; i++) {
        fmt_axis(lang, b, sizeof b, a, a->values[i]);
        if (mpi_text_chars(b) > wd)
            wd = mpi_text_chars(b);
    }
    return wd;
}

static int media_width(mpi_lang lang, const mpi_report *base, size_t m)
{
    int n = mpi_text_chars(mpi_media_label(lang, base->media[m].name));
    return n > 7 ? n : 7;
}

/* "spend EUR" or "cost GBP": a figure in currency says so in its header. */
static void cur_head(char *b, size_t n, const char *what, const char *unit)
{
    snprintf(b, n, "%s%s%s", what, strcmp(what, unit) ? " " : "", strcmp(what, unit) ? unit : "");
}

/* The marginal column: per k-currency of budget in max plans; in min plans
 * the cost of one more unit of the binding target (of the first scenario
 * that has one). */
static void marginal_head(mpi_lang lang, char *b, size_t n, const mp_whatif *w)
{
    int q = -1;
    for (size_t i = 0; q < 0 && i < w->ns; i++)
        q = w->s[i].marginal_kpi;
    if (w->plan->obj_sense < 0)
        mpi_marginal_cost_unit_in(lang, w->plan, q, b, n);
    else
        snprintf(b, n, mpi_trc(lang, "terminal column", "marginal/k%s"), w->plan->currency);
}

/* The cost per unit of the return KPI: "CPA EUR" (conversions) or
 * "cost/unit EUR". */
static void cpa_head(mpi_lang lang, const mp_whatif *w, char *b, size_t n)
{
    const mpi_report *base = mpi_report_of(w->base);
    cur_head(b, n,
             base && base->obj.return_q != MPI_CONVERSIONS
                 ? mpi_trc(lang, "terminal column", "cost/unit")
                 : mpi_trc(lang, "terminal column", "CPA"),
             w->plan->currency);
}

/* A plan with draws: what the P10–P90 column is, and that the other
 * figures are expected ones. */
static void print_whatif_bands(FILE *out, mpi_lang lang, const mp_whatif *w)
{
    const mpi_quantiles *qs = mpi_whatif_quant(w);
    if (!qs)
        return;
    char basis[MPI_TEXT_MAX], line[MPI_TEXT_MAX * 2];
    mpi_draws_basis_text(lang, w->plan, qs, basis, sizeof basis);
    snprintf(line, sizeof line,
             !w->plan->draws_independent && mpi_draws_three_points(w->plan)
                 ? mpi_tr(lang, "%s: the %s each scenario's plan brings at the worst and at "
                                "the best of %s; the other figures are expected, the mean over "
                                "the three")
                 : mpi_tr(lang, "%s: the %s each scenario's plan brings over %s (1 in 10 "
                                "brings P10 or less, 1 in 10 P90 or more); the other figures are "
                                "expected, the mean over the draws"),
             "P10–P90", draws_unit(lang, w->plan, qs), basis);
    mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
}

/* The P10–P90 column's heading: the quantiles' KPI named when it is not
 * the objective's (a min plan's target). */
static void band_head(mpi_lang lang, const mp_whatif *w, char *b, size_t n)
{
    const mpi_quantiles *qs = mpi_whatif_quant(w);
    mpi_objective obj;
    mpi_objective_of(w->plan, &obj);
    if (qs->q == obj.q)
        snprintf(b, n, "P10–P90");
    else
        snprintf(b, n, "%s P10–P90", draws_unit(lang, w->plan, qs));
}

/* A sweep of a plan chosen for the bad draws (risk = cvar or worst): each
 * scenario's measure beside its P10–P90. */
static int whatif_risk(const mp_whatif *w)
{
    return mpi_whatif_quant(w) && w->plan->risk != MPI_RISK_MEAN;
}

/* The measure's heading: "CVaR 10%" ("CVaR 10 %"), or "worst draw". */
static void risk_head(mpi_lang lang, const mp_whatif *w, char *b, size_t n)
{
    char level[32];
    double pct = 100 * w->plan->risk_level;
    mpi_fmt_num(lang, level, sizeof level, pct, pct == floor(pct) ? 0 : 1);
    if (w->plan->risk == MPI_RISK_CVAR)
        snprintf(b, n, mpi_trc(lang, "terminal column", "CVaR %s%%"), level);
    else
        snprintf(b, n, "%s", mpi_trc(lang, "terminal column", "worst draw"));
}

/* Why the marginal column reads n/a in a sweep of a plan chosen for the bad
 * draws or holding its constraints in every draw: its solve gives no price
 * for the budget (a booked plan says so in its own line). */
static void print_whatif_unpriced(FILE *out, mpi_lang lang, const mp_whatif *w)
{
    const mp_plan *plan = w->plan;
    if (w->base->booked || !mpi_plan_has_draws(plan) ||
        !(plan->risk != MPI_RISK_MEAN || mpi_plan_must_hold(plan)))
        return;
    char line[MPI_TEXT_MAX];
    for (size_t i = 0; i < w->ns; i++)
        if (mpi_scen_solved(&w->s[i]) && isnan(w->s[i].marginal)) {
            snprintf(line, sizeof line,
                     mpi_tr(lang, "marginal/k%s is n/a: a plan chosen for the bad draws, or "
                                  "holding its constraints in every draw, has no single price "
                                  "for more budget; read the gain from one budget's row to the "
                                  "next"),
                     plan->currency);
            mpi_put_wrapped(out, line, 0, LINE_COLS, 2);
            return;
        }
}

/* "base plan: ..." and "7 scenarios (...), solved in 0.45 s". */
static void print_whatif_base(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_report *base)
{
    char a[64];
    print_title(out, lang, w->plan, "");
    if (base->solved) {
        char unit[128];
        fmt_in(lang, a, sizeof a, base->objective);
        snprintf(unit, sizeof unit,
                 mpi_whatif_quant(w) && w->plan->obj_sense > 0 ? mpi_tr(lang, "%s expected") : "%s",
                 mpi_tr(lang, base->obj.unit));
        fprintf(out, mpi_tr(lang, "base plan: %s %s -> %s %s"), sense_word(lang, base->obj.sense),
                mpi_tr(lang, base->obj.kpi), a, unit);
    } else {
        fprintf(out, mpi_tr(lang, "base plan: %s"), mpi_tr(lang, base->status));
    }
    fputc('\n', out);
    mpi_fmt_num(lang, a, sizeof a, w->sweep_s, 2);
    fprintf(out,
            mpi_trn(lang, "%lu scenario (%s), solved in %s s", "%lu scenarios (%s), solved in %s s",
                    (unsigned long)w->ns),
            (unsigned long)w->ns,
            w->cold ? mpi_tr(lang, "each from scratch")
                    : mpi_tr(lang, "each from the previous optimal basis"),
            a);
    fputc('\n', out);
    print_whatif_bands(out, lang, w);
    print_whatif_unpriced(out, lang, w);
    if (w->base->booked) /* the sweep's scenarios are MIPs too */
        fprintf(out, "%s\n",
                mpi_tr(lang, "each scenario booked as the plan says (flights, whole spots and "
                             "insertions): the best plan that can be booked, found by a search "
                             "over the bookings"));
    fputc('\n', out);
}

/* The what-if table's columns: each as wide as its heading and its widest
 * figure, so that a plan of five media fits in 100 columns (the media
 * shares have a table of their own). */
#define TABLE_COLS 100
#define GAP        2 /* columns between two of the table's, 1 when the table is too wide */

/* A booked scenario the time limit stopped: its plan is the best booked one
 * found, not proven the best that can be booked. */
static void booked_note(mpi_lang lang, const mpi_scen *s, char *b, size_t n)
{
    char gap[32];
    *b = '\0';
    if (!s->booked || s->mip_status != MPI_LP_TIME_LIMIT)
        return;
    if (!isfinite(s->mip_gap)) {
        snprintf(b, n, "  %s", mpi_tr(lang, "(the best booked plan found in the time limit)"));
        return;
    }
    mpi_gap_pct_text(lang, gap, sizeof gap, s->mip_gap);
    snprintf(b, n,
             mpi_tr(lang, "  (the best booked plan found in the time limit, within %s %% of the "
                          "best that can be booked)"),
             gap);
}

/* A scenario's marginal figure (fig) and what stops the budget when some
 * is left (note, "" when nothing does). */
static void margin_text(mpi_lang lang, const mp_whatif *w, const mpi_scen *s, char fig[64],
                        char note[MPI_TEXT_MAX])
{
    char booked[MPI_TEXT_MAX];
    if (isnan(s->marginal))
        snprintf(fig, 64, "%s", mpi_tr(lang, "n/a"));
    else
        fmt_c(lang, fig, 64, FOUR_DIGITS,
              unsigned_zero(s->marginal * (w->plan->obj_sense < 0 ? 1 : 1000), 4));
    *note = '\0';
    if (s->stopped_by)
        snprintf(note, MPI_TEXT_MAX, mpi_tr(lang, "  (stopped by %s)"), s->stopped_words[lang]);
    mpi_scen_draws_notes(lang, w, s, 1, note, MPI_TEXT_MAX);
    booked_note(lang, s, booked, sizeof booked);
    snprintf(note + strlen(note), MPI_TEXT_MAX - strlen(note), "%s", booked);
}

/* The figures' columns, in order; the draws' three only in a plan with
 * draws (the measure for the bad draws with risk = cvar or worst, the share
 * of draws meeting a min plan's target); the effective reach only in a plan
 * with [plan] effective_frequency. */
enum { C_OBJ, C_CHANGE, C_BAND, C_RISK, C_MET, C_SPEND, C_UNSPENT, C_CPA, C_EFF, C_N };

typedef struct wtable {
    int axis[2]; /* the axis columns (mp_whatif.ax), then the status */
    int key;     /* the columns before the figures, gaps included */
    int gap;     /* columns between two of the table's */
    int status;
    int col[C_N]; /* 0: a column the run has not */
    int unspent;  /* the unspent column's width under the media shares, 0: in the first table */
} wtable;

/* The draws' cells of a scenario (blank without its quantiles). */
static void draws_cells(mpi_lang lang, const mpi_quantiles *qs, char cell[C_N][64])
{
    char a[28], b[28];
    if (!qs)
        return;
    fmt_in(lang, a, sizeof a, qs->obj.p10);
    fmt_in(lang, b, sizeof b, qs->obj.p90);
    snprintf(cell[C_BAND], 64, "%s–%s", a, b);
    if (!isnan(qs->risk))
        fmt_in(lang, cell[C_RISK], 64, qs->risk);
    if (!isnan(qs->met))
        fmt_pct1(lang, cell[C_MET], 64, 100 * qs->met, 0);
}

/* A solved scenario's figures as the table writes them, in C_ order. */
static void scenario_cells(mpi_lang lang, const mpi_report_scenario *v, char cell[C_N][64])
{
    const mpi_scen *s = v->s;
    memset(cell, 0, C_N * sizeof cell[0]);
    fmt_in(lang, cell[C_OBJ], 64, unsigned_zero(s->objective, 1));
    if (isnan(v->change))
        snprintf(cell[C_CHANGE], 64, "-");
    else
        fmt_pct1(lang, cell[C_CHANGE], 64, pct(v->change), 1);
    draws_cells(lang, s->quant, cell);
    fmt_in(lang, cell[C_SPEND], 64, unsigned_zero(s->kpi[MPI_SPEND], 1));
    fmt_in(lang, cell[C_UNSPENT], 64, unsigned_zero(fmax(s->unspent, 0), 1));
    snprintf(cell[C_CPA], 64, "-");
    if (!isnan(v->per_return))
        mpi_fmt_num(lang, cell[C_CPA], 64, v->per_return, 2);
    if (!isnan(s->eff_reach))
        fmt_in(lang, cell[C_EFF], 64, s->eff_reach);
}

/* The figures' headings, in C_ order ("" for a column the run has not). */
static void table_heads(mpi_lang lang, const mp_whatif *w, const mpi_report *base,
                        char head[C_N][96])
{
    const mpi_quantiles *qs = mpi_whatif_quant(w);
    memset(head, 0, C_N * sizeof head[0]);
    cur_head(head[C_OBJ], 96, mpi_tr(lang, base->obj.kpi), mpi_tr(lang, base->obj.unit));
    snprintf(head[C_CHANGE], 96, "%s", mpi_trc(lang, "terminal column", "vs base"));
    if (qs)
        band_head(lang, w, head[C_BAND], 96);
    if (whatif_risk(w))
        risk_head(lang, w, head[C_RISK], 96);
    if (qs && qs->target >= 0)
        snprintf(head[C_MET], 96, "%s", mpi_trc(lang, "terminal column", "target met"));
    cur_head(head[C_SPEND], 96, mpi_trc(lang, "terminal column", "spend"), w->plan->currency);
    cur_head(head[C_UNSPENT], 96, mpi_trc(lang, "terminal column", "unspent"), w->plan->currency);
    cpa_head(lang, w, head[C_CPA], 96);
    if (w->plan->eff_freq > 0) /* people reached 3+ times */
        snprintf(head[C_EFF], 96, mpi_trc(lang, "terminal column", "%d+ reach"), w->plan->eff_freq);
}

static int widest(int a, const char *text)
{
    return mpi_text_chars(text) > a ? mpi_text_chars(text) : a;
}

/* The table's columns but the marginal one and the gaps between them
 * (*gaps of them), the marginal column's own gap included. */
static int table_fixed(const mp_whatif *w, const wtable *t, int *gaps)
{
    int fixed = t->status + GAP;
    *gaps = 0;
    for (int c = 0; c < C_N; c++)
        if (t->col[c]) {
            fixed += t->col[c];
            ++*gaps;
        }
    for (size_t x = 0; x < w->nax && x < 2; x++) {
        fixed += t->axis[x];
        ++*gaps;
    }
    return fixed;
}

/* The gap between columns: 2 when every row fits in TABLE_COLS, else 1 if
 * that makes them fit; when a note still passes (it then goes on a line of
 * its own), 2 if the heading row fits. head_last and row_last: the widest
 * marginal heading and figure with its note. */
static int table_gap(const mp_whatif *w, const wtable *t, int head_last, int row_last)
{
    int gaps, fixed = table_fixed(w, t, &gaps);
    int last = head_last > row_last ? head_last : row_last;
    if (fixed + gaps * GAP + last <= TABLE_COLS)
        return GAP;
    if (fixed + gaps + last <= TABLE_COLS)
        return 1;
    return fixed + gaps * GAP + head_last <= TABLE_COLS ? GAP : 1;
}

/* The columns' widths, and the gap between them (table_gap). */
static void table_widths(mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr, wtable *t)
{
    char head[C_N][96], cell[C_N][64], margin[96];
    memset(t, 0, sizeof *t);
    table_heads(lang, w, wr->base, head);
    for (int c = 0; c < C_N; c++)
        t->col[c] = mpi_text_chars(head[c]);
    t->status = mpi_text_chars(mpi_tr(lang, "status"));
    marginal_head(lang, margin, sizeof margin, w);
    int head_last = mpi_text_chars(margin), row_last = 0; /* the marginal column, its note */
    for (size_t i = 0; i < wr->n; i++) {
        t->status = widest(t->status, mpi_tr(lang, wr->scen[i].status));
        if (!wr->scen[i].solved)
            continue;
        scenario_cells(lang, &wr->scen[i], cell);
        for (int c = 0; c < C_N; c++)
            if (*head[c])
                t->col[c] = widest(t->col[c], cell[c]);
        char fig[64], note[MPI_TEXT_MAX];
        margin_text(lang, w, wr->scen[i].s, fig, note);
        if (mpi_text_chars(fig) + mpi_text_chars(note) > row_last)
            row_last = mpi_text_chars(fig) + mpi_text_chars(note);
    }
    for (size_t x = 0; x < w->nax && x < 2; x++)
        t->axis[x] = axis_width(lang, &w->ax[x]);
    t->gap = table_gap(w, t, head_last, row_last);
    int gaps, fixed = table_fixed(w, t, &gaps);
    if (fixed + gaps * t->gap + head_last > TABLE_COLS) { /* the heading row passes even so */
        t->unspent = t->col[C_UNSPENT];                   /* under the media shares */
        t->col[C_UNSPENT] = 0;
        t->gap = table_gap(w, t, head_last, row_last);
    }
    for (size_t x = 0; x < w->nax && x < 2; x++)
        t->key += t->axis[x] + t->gap;
    t->key += t->status;
}

/* The table's heading row; the marginal column after two spaces, as its
 * figures (it ends the row). */
static void print_whatif_head(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_report *base,
                              const wtable *t)
{
    char a[96], head[C_N][96];
    print_whatif_base(out, lang, w, base);
    for (size_t x = 0; x < w->nax; x++) {
        mpi_put_left(out, w->ax[x].label, t->axis[x]);
        fprintf(out, "%*s", t->gap, "");
    }
    mpi_put_left(out, mpi_tr(lang, "status"), t->status);
    table_heads(lang, w, base, head);
    for (int c = 0; c < C_N; c++)
        if (t->col[c]) {
            fprintf(out, "%*s", t->gap, "");
            mpi_put_right(out, head[c], t->col[c]);
        }
    marginal_head(lang, a, sizeof a, w);
    fprintf(out, "%*s%s\n", GAP, "", a);
}

/* A scenario's note on lines of its own from column at: its parts
 * ("  (stopped by …)  (cpa at its limit …)") one a line when it passes
 * TABLE_COLS, a longer part wrapped under itself. */
static void put_note(FILE *out, const char *note, int at)
{
    while (*note) {
        const char *next = strstr(note + 1, "  (");
        int len =
            next && at + mpi_text_chars(note) > TABLE_COLS ? (int)(next - note) : (int)strlen(note);
        char part[MPI_TEXT_MAX];
        snprintf(part, sizeof part, "%*s%.*s", at, "", len, note);
        mpi_put_wrapped(out, part, 0, TABLE_COLS, at + 3);
        note += len;
    }
}

/* The marginal figure and the note after the figures (used columns so
 * far), the note on a line of its own under them when the row would pass
 * TABLE_COLS, wrapped there. */
static void print_margin(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_scen *s,
                         const wtable *t, int used)
{
    char fig[64], note[MPI_TEXT_MAX];
    margin_text(lang, w, s, fig, note);
    fprintf(out, "%*s%s", GAP, "", fig);
    used += GAP + mpi_text_chars(fig);
    if (*note && used + mpi_text_chars(note) > TABLE_COLS) {
        fputc('\n', out);
        put_note(out, note, t->key);
        return;
    }
    fprintf(out, "%s\n", note);
}

/* The figures of a solved scenario, after its status; the columns used. */
static int print_scenario_figures(FILE *out, mpi_lang lang, const mpi_report_scenario *v,
                                  const wtable *t)
{
    char cell[C_N][64];
    int used = t->key;
    scenario_cells(lang, v, cell);
    for (int c = 0; c < C_N; c++)
        if (t->col[c]) {
            fprintf(out, "%*s", t->gap, "");
            mpi_put_right(out, cell[c], t->col[c]);
            used += t->gap + t->col[c];
        }
    return used;
}

/* The values of a scenario's axes, each in its column. */
static void print_axes(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_scen *s,
                       const wtable *t)
{
    char a[64];
    for (size_t x = 0; x < w->nax; x++) {
        fmt_axis(lang, a, sizeof a, &w->ax[x], w->ax[x].values[s->idx[x]]);
        mpi_put_left(out, a, t->axis[x]);
        fprintf(out, "%*s", t->gap, "");
    }
}

static void print_scenario(FILE *out, mpi_lang lang, const mp_whatif *w,
                           const mpi_whatif_report *wr, size_t i, const wtable *t)
{
    const mpi_report_scenario *v = &wr->scen[i];
    print_axes(out, lang, w, v->s, t);
    mpi_put_left(out, mpi_tr(lang, v->status), t->status);
    if (!v->solved) {
        fprintf(out, "%*s%s\n", GAP, "", v->s->explain ? v->s->explain : "");
        return;
    }
    print_margin(out, lang, w, v->s, t, print_scenario_figures(out, lang, v, t));
}

/* The share of each scenario's spend by media, a table of its own under
 * the first (indented, as the summary's other lists), solved scenarios
 * only; the budget left unspent last when the first table has no room for
 * it (wtable.unspent). */
static void print_media_shares(FILE *out, mpi_lang lang, const mp_whatif *w,
                               const mpi_whatif_report *wr, const wtable *t)
{
    char a[96], cell[C_N][64];
    fprintf(out, "\n%s\n  ",
            t->unspent ? mpi_tr(lang, "share of spend by media, and the budget left unspent:")
                       : mpi_tr(lang, "share of spend by media:"));
    for (size_t x = 0; x < w->nax; x++) {
        mpi_put_left(out, w->ax[x].label, t->axis[x]);
        fprintf(out, "%*s", t->gap, "");
    }
    for (size_t m = 0; m < wr->nmedia; m++)
        if (wr->base->media[m].present) {
            fprintf(out, "%s", m ? " " : "");
            mpi_put_right(out, mpi_media_label(lang, wr->base->media[m].name),
                          media_width(lang, wr->base, m));
        }
    cur_head(a, sizeof a, mpi_trc(lang, "terminal column", "unspent"), w->plan->currency);
    if (t->unspent) {
        fprintf(out, "%*s", t->gap, "");
        mpi_put_right(out, a, t->unspent);
    }
    fputc('\n', out);
    for (size_t i = 0; i < wr->n; i++) {
        const mpi_report_scenario *v = &wr->scen[i];
        if (!v->solved)
            continue;
        fputs("  ", out);
        print_axes(out, lang, w, v->s, t);
        for (size_t m = 0; m < wr->nmedia; m++)
            if (wr->base->media[m].present) {
                fmt_pct1(lang, a, sizeof a, pct(v->media_share[m]), 0);
                fprintf(out, "%s", m ? " " : "");
                mpi_put_right(out, a, media_width(lang, wr->base, m));
            }
        scenario_cells(lang, v, cell);
        if (t->unspent) {
            fprintf(out, "%*s", t->gap, "");
            mpi_put_right(out, cell[C_UNSPENT], t->unspent);
        }
        fputc('\n', out);
    }
}

/* Booked channel c's column in the spots table: "tf1 spots", "ouest-france
 * insertions". */
static void units_head(mpi_lang lang, const mpi_channel *ch, char *b, size_t n)
{
    snprintf(b, n,
             mpi_channel_press(ch) ? mpi_trc(lang, "terminal column", "%s insertions")
                                   : mpi_trc(lang, "terminal column", "%s spots"),
             ch->name);
}

/* Its width: its heading's and its widest figure's. */
static int units_width(mpi_lang lang, const mp_whatif *w, size_t c)
{
    char a[96];
    units_head(lang, &w->plan->ch[c], a, sizeof a);
    int wd = mpi_text_chars(a);
    for (size_t i = 0; i < w->ns; i++) {
        double u = mpi_scen_units(w, &w->s[i], c);
        if (mpi_scen_solved(&w->s[i]) && !isnan(u)) {
            mpi_fmt_num(lang, a, sizeof a, u, 0);
            wd = widest(wd, a);
        }
    }
    return wd;
}

/* The spots table's channels from from on that fit in TABLE_COLS after the
 * axes (key columns), one at least: [from, returned). */
static size_t units_block(mpi_lang lang, const mp_whatif *w, size_t from, int key)
{
    size_t c = from;
    for (int used = key, n = 0; c < w->plan->nch; c++) {
        if (!mpi_whatif_in_units(w, c))
            continue;
        used += (n ? GAP : 0) + units_width(lang, w, c);
        if (used > TABLE_COLS && n)
            break;
        n++;
    }
    return c;
}

/* One block of the spots table: channels [from, to) in units. */
static void print_units_block(FILE *out, mpi_lang lang, const mp_whatif *w,
                              const mpi_whatif_report *wr, const wtable *t, size_t from, size_t to)
{
    char a[96];
    fputs("  ", out);
    for (size_t x = 0; x < w->nax; x++) {
        mpi_put_left(out, w->ax[x].label, t->axis[x]);
        fprintf(out, "%*s", t->gap, "");
    }
    for (size_t c = from, n = 0; c < to; c++)
        if (mpi_whatif_in_units(w, c)) {
            units_head(lang, &w->plan->ch[c], a, sizeof a);
            fprintf(out, "%*s", n++ ? GAP : 0, "");
            mpi_put_right(out, a, units_width(lang, w, c));
        }
    fputc('\n', out);
    for (size_t i = 0; i < wr->n; i++) {
        if (!wr->scen[i].solved)
            continue;
        fputs("  ", out);
        print_axes(out, lang, w, wr->scen[i].s, t);
        for (size_t c = from, n = 0; c < to; c++)
            if (mpi_whatif_in_units(w, c)) {
                mpi_fmt_num(lang, a, sizeof a, mpi_scen_units(w, wr->scen[i].s, c), 0);
                fprintf(out, "%*s", n++ ? GAP : 0, "");
                mpi_put_right(out, a, units_width(lang, w, c));
            }
        fputc('\n', out);
    }
}

/* A booked run: each scenario's whole spots and insertions of each channel
 * bought so, a table of its own under the media shares (more tables under
 * it when the channels pass TABLE_COLS), so that a spend change is read
 * against the bookings that make it. */
static void print_scen_units(FILE *out, mpi_lang lang, const mp_whatif *w,
                             const mpi_whatif_report *wr, const wtable *t)
{
    int spots = 0, insertions = 0, key = 2;
    for (size_t c = 0; c < w->plan->nch; c++)
        if (mpi_whatif_in_units(w, c)) {
            insertions |= mpi_channel_press(&w->plan->ch[c]);
            spots |= !mpi_channel_press(&w->plan->ch[c]);
        }
    if (!spots && !insertions)
        return;
    fprintf(out, "\n%s\n",
            !insertions ? mpi_tr(lang, "spots booked:")
            : !spots    ? mpi_tr(lang, "insertions booked:")
                        : mpi_tr(lang, "spots and insertions booked:"));
    for (size_t x = 0; x < w->nax; x++)
        key += t->axis[x] + t->gap;
    for (size_t from = 0, to; from < w->plan->nch; from = to) {
        to = units_block(lang, w, from, key);
        print_units_block(out, lang, w, wr, t, from, to);
    }
}

mp_status mp_whatif_print_summary(const mp_whatif *w, FILE *out)
{
    return mp_whatif_print_summary_in(w, out, NULL);
}

mp_status mp_whatif_print_summary_in(const mp_whatif *w, FILE *out, const char *lang)
{
    mpi_clear_error();
    if (!w || !out)
        return mpi_fail(MP_ERR_INPUT,
                        N_("mp_whatif_print_summary: no what-if run or no stream given"));
    int l = summary_lang(lang);
    if (l < 0)
        return mpi_fail(MP_ERR_INPUT, N_("mp_whatif_print_summary_in: unknown language \"%s\""),
                        lang);
    mpi_whatif_report wr;
    mp_status st = mpi_whatif_report_build(w, &wr);
    if (st != MP_OK)
        return st;
    wtable t;
    table_widths((mpi_lang)l, w, &wr, &t);
    print_whatif_head(out, (mpi_lang)l, w, wr.base, &t);
    for (size_t i = 0; i < wr.n; i++)
        print_scenario(out, (mpi_lang)l, w, &wr, i, &t);
    print_media_shares(out, (mpi_lang)l, w, &wr, &t);
    print_scen_units(out, (mpi_lang)l, w, &wr, &t);
    mpi_whatif_reading(out, (mpi_lang)l, w, &wr);
    mpi_whatif_report_free(&wr);
    return MP_OK;
}
