/* The Excel workbook: Summary, Plan, Channels, Keywords, Groups, Constraints,
 * Assumptions, and for a what-if run Scenarios. It renders the report view
 * (report.h), which computes every figure and label, through the workbook
 * adapter (xlsx.h); the plan gives only what it echoes (names, budget,
 * inputs, datasets, and the models' price index by period). Text is always written as text, so a
 * keyword starting with "=" never becomes a formula; totals in the Plan sheet are live SUM formulas
 * carrying their computed value. The adapter keeps the first failure, so the sheets are written
 * without checks and the book is checked once, when it is closed. */
#include "report.h"
#include "whatif.h"
#include "xlsx.h"

#include <stdlib.h>
#include <string.h>

#define PLAIN MPI_XLSX_PLAIN
#define TITLE MPI_XLSX_TITLE
#define BOLD  MPI_XLSX_BOLD
#define HEAD  MPI_XLSX_HEAD
#define NHEAD MPI_XLSX_HEAD_NUM /* over numbers: right-aligned as they are */
#define MONEY MPI_XLSX_MONEY
#define COUNT MPI_XLSX_COUNT
#define DEC   MPI_XLSX_DEC
#define PCT   MPI_XLSX_PCT
#define CENTS MPI_XLSX_CENTS
#define CONV  MPI_XLSX_CONV
#define DEC1  MPI_XLSX_DEC1
#define DATE  MPI_XLSX_DATE
#define EXACT MPI_XLSX_PRECISE

/* The workbook's language (the plan's: [plan] language, --lang), which is
 * not the terminal's. */
static mpi_lang book_lang(const mp_plan *plan)
{
    return (mpi_lang)plan->lang;
}

/* msgid in the workbook's language. */
static const char *tr(const mp_plan *plan, const char *msgid) MPI_FORMAT_ARG(2);
static const char *tr(const mp_plan *plan, const char *msgid)
{
    return mpi_tr(book_lang(plan), msgid);
}

/* "yes" or "no" in the workbook's language. */
static const char *yes_no(const mp_plan *plan, int yes)
{
    return yes ? tr(plan, "yes") : tr(plan, "no");
}

/* A media family or channel type by its name in the workbook's language, as
 * a planner heads a table ("Search", "TV", "Presse"). */
static const char *media_label(const mp_plan *plan, const char *name)
{
    return mpi_media_heading(book_lang(plan), name);
}

/* The plan's dates for the page header, "1 Mar 2027 – 30 May 2027" or
 * "du 01/03/2027 au 30/05/2027": what the printed plan covers, the same on
 * every print of it. */
static void plan_dates(const mp_plan *plan, char *buf, size_t n)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    long ends[2] = {plan->start, plan->period_start[plan->periods] - 1}; /* the last day included */
    char day[2][32];
    for (int k = 0; k < 2; k++) {
        int y, m, d;
        mpi_civil_from_days(ends[k], &y, &m, &d);
        if (book_lang(plan) == MPI_LANG_FR)
            snprintf(day[k], sizeof day[k], "%02d/%02d/%04d", d, m, y);
        else
            snprintf(day[k], sizeof day[k], "%d %s %d", d, months[(m - 1) % 12], y);
    }
    snprintf(buf, n, tr(plan, "%s to %s"), day[0], day[1]);
}

/* A column heading "label (unit)"; unit NULL: the label alone, CUR: the
 * plan's currency. */
typedef struct heading {
    const char *label, *unit;
} heading;
static const char CUR[] = "";

/* Bit i of a heading row's text mask: its column i holds text (its heading
 * left-aligned); the others hold numbers, their headings right-aligned. */
#define TXT(i) (1u << (i))

static void headings(mpi_xlsx_sheet *s, int row, int col, const heading *h, int n,
                     unsigned text_cols, const mp_plan *plan)
{
    for (int i = 0; i < n; i++) {
        char buf[160];
        const char *unit = h[i].unit == CUR ? plan->currency : tr(plan, h[i].unit);
        if (unit)
            snprintf(buf, sizeof buf, "%s (%s)", tr(plan, h[i].label), unit);
        mpi_xlsx_text(s, row, col + i, unit ? buf : tr(plan, h[i].label),
                      text_cols & TXT(i) ? HEAD : NHEAD);
    }
}

/* Plain headings (no unit) in the workbook's language. */
static void text_heads(mpi_xlsx_sheet *s, int row, const char *const *h, int n, unsigned text_cols,
                       const mp_plan *plan)
{
    for (int i = 0; i < n; i++)
        mpi_xlsx_text(s, row, i, tr(plan, h[i]), text_cols & TXT(i) ? HEAD : NHEAD);
}

/* Every sheet prints landscape, one page wide (the Summary: one page),
 * rows head0..head1 on every page (head1 < 0: none), under a header naming
 * the client, the plan and its dates, page numbers at the foot. */
static void print_setup_footer(mpi_xlsx_sheet *s, const mp_plan *plan, int head0, int head1,
                               int one_page, const char *footer)
{
    char dates[96];
    plan_dates(plan, dates, sizeof dates);
    mpi_xlsx_print p = {.left = plan->client,
                        .centre = plan->name,
                        .right = dates,
                        .footer = footer ? footer : tr(plan, "Page {page} of {pages}"),
                        .first_row = head0,
                        .last_row = head1,
                        .one_page = one_page};
    mpi_xlsx_print_setup(s, &p);
}

static void print_setup(mpi_xlsx_sheet *s, const mp_plan *plan, int head0, int head1, int one_page)
{
    print_setup_footer(s, plan, head0, head1, one_page, NULL);
}

/* How a KPI's cells show: money in whole units, conversions with a decimal
 * below 100, GRP with one, people, impressions, clicks and kg as counts. */
static mpi_xlsx_style kpi_style(int q)
{
    static const mpi_xlsx_style style[MPI_NKPI] = {
        [MPI_SPEND] = MONEY,      [MPI_IMPRESSIONS] = COUNT, [MPI_CLICKS] = COUNT,
        [MPI_CONVERSIONS] = CONV, [MPI_REVENUE] = MONEY,     [MPI_GRP] = DEC1,
        [MPI_REACH] = COUNT,      [MPI_CO2] = COUNT};
    return q >= 0 && q < MPI_NKPI ? style[q] : DEC;
}

/* Each KPI's column heading: its name as planners write it, and its unit
 * when the name does not say it already. */
static const heading kpi_heads[MPI_NKPI] = {
    [MPI_SPEND] = {N_("spend"), CUR},          [MPI_IMPRESSIONS] = {N_("impressions"), NULL},
    [MPI_CLICKS] = {N_("clicks"), NULL},       [MPI_CONVERSIONS] = {N_("conversions"), NULL},
    [MPI_REVENUE] = {N_("revenue"), CUR},      [MPI_GRP] = {N_("GRP"), NULL},
    [MPI_REACH] = {N_("reach"), N_("people")}, [MPI_CO2] = {N_("CO2e"), N_("kg")}};

/* A constraint's value and bound as its measure shows: shares and ROAS in
 * %, a CPA with cents, a KPI as its cells; e NULL (the rows the plan
 * implies: budget, periods, channel limits) is a spend. */
static mpi_xlsx_style expr_style(const mpi_expr *e)
{
    if (!e)
        return MONEY;
    switch (e->measure) {
    case MPI_M_SHARE:
    case MPI_M_ROAS: return PCT;
    case MPI_M_CPA: return CENTS;
    default: return kpi_style(e->kpi);
    }
}

/* The objective's name: the KPI maximised, or what a
 * min plan minimises (cost, CO2e). */
static const char *objective_label(const mp_plan *plan)
{
    if (plan->obj_sense > 0)
        return kpi_heads[plan->obj_kpi].label;
    return plan->obj_kpi == MPI_CO2 ? N_("CO2e") : N_("cost");
}

/* "label (unit)", or the label alone when its unit is NULL or the label. */
static void unit_head(char *buf, size_t n, const char *label, const char *unit)
{
    if (!unit || !*unit || mpi_strieq(unit, label))
        snprintf(buf, n, "%s", label);
    else
        snprintf(buf, n, "%s (%s)", label, unit);
}

/* The heading of KPI q's column in buf. */
static void kpi_head(char *buf, size_t n, const mp_plan *plan, int q)
{
    const heading *h = &kpi_heads[q];
    unit_head(buf, n, tr(plan, h->label), h->unit == CUR ? plan->currency : tr(plan, h->unit));
}

/* ---- Summary ------------------------------------------------------------ */

/* Rows 10-12 of a booked plan (mip.c): the booked plan's verdict, how far it
 * may be from the best plan with continuous spends, and branch and cut's
 * verdict, as the terminal says them (each a sentence on a row of its own:
 * the charts stand to their right). */
static void summary_booked(mpi_xlsx_sheet *s, const mpi_report *rep)
{
    char buf[MPI_TEXT_MAX];
    mpi_lang lang = book_lang(rep->plan);
    if (!rep->sol->booked)
        return;
    if (!mpi_plan_books_channels(rep->plan)) { /* held to effective reach only (effective_grid.c) */
        mpi_xlsx_text(s, 10, 0, tr(rep->plan, "Effective reach over several channels"), BOLD);
        mpi_xlsx_note(s, 10, 1,
                      rep->plan->obj_eff
                          ? tr(rep->plan, "held on a grid of each channel's levels")
                          : tr(rep->plan, "held on a grid of each channel's levels, refined "
                                          "around the plan found"),
                      PLAIN);
        mpi_xlsx_text(s, 12, 0, tr(rep->plan, "Search"), BOLD);
        mpi_grid_steps_text_in(lang, buf, sizeof buf, rep->sol);
        mpi_xlsx_note(s, 12, 1, buf, PLAIN);
        return;
    }
    mpi_xlsx_text(s, 10, 0, tr(rep->plan, "Booked plan"), BOLD);
    mpi_booked_text_in(lang, buf, sizeof buf, rep->sol);
    mpi_xlsx_note(s, 10, 1, buf, PLAIN);
    /* against continuous spends: the Optimality row says it */
    mpi_xlsx_text(s, 11, 0, tr(rep->plan, "Search for the booked plan"), BOLD);
    mpi_branch_text_in(lang, buf, sizeof buf, rep->sol);
    mpi_xlsx_note(s, 11, 1, buf, PLAIN);
}

/* Where the Summary's charts go, right of its tables: spend by channel, then
 * the weekly flighting under it. */
#define SUMMARY_CHART_COL 5

/* Rows 0-9 (rows 0-12 when booked): the brief and the outcome. */
/* The Summary's bound row: the plan's own optimum, or, for a plan holding its constraints in
 * every draw or chosen for the bad draws, the best mean of any plan with its constraints held
 * on average only (report.h, mpi_bound_of), which bounds no plan of its kind: said beside. */
static void summary_bound(mpi_xlsx_sheet *s, int r, const mpi_report *rep)
{
    const mp_plan *plan = rep->plan;
    const char *unit = tr(plan, rep->obj.unit), *note = NULL;
    char buf[256];
    int max = plan->obj_sense > 0;
    if (rep->bound_of == MPI_BOUND_HELD)
        note = N_("the best of any plan holding its constraints on average only, not in every "
                  "draw");
    else if (rep->bound_of == MPI_BOUND_RISK)
        note = N_("the best mean of any plan, not chosen for the bad draws");
    else if (rep->bound_of == MPI_BOUND_RISK_HELD)
        note = N_("the best mean of any plan holding its constraints on average only, not in "
                  "every draw, and not chosen for the bad draws");
    if (rep->bound_of == MPI_BOUND_BOOKED_WEAK) /* the floor's Markov form: no plan's */
        snprintf(buf, sizeof buf,
                 max ? tr(plan, "Loose bound: no plan brings more than (%s)")
                     : tr(plan, "Loose bound: no plan costs less than (%s)"),
                 unit);
    else if (!note)
        snprintf(buf, sizeof buf,
                 max ? tr(plan, "Exact optimum at most (%s)")
                     : tr(plan, "Exact optimum at least (%s)"),
                 unit);
    else
        snprintf(buf, sizeof buf,
                 max ? tr(plan, "Best at most (%s)") : tr(plan, "Best at least (%s)"), unit);
    mpi_xlsx_text(s, r, 0, buf, BOLD);
    mpi_xlsx_number(s, r, 1, rep->bound, kpi_style(plan->obj_kpi));
    if (note)
        mpi_xlsx_text(s, r, 2, tr(plan, note), PLAIN);
}

static void summary_brief(mpi_xlsx_sheet *s, const mpi_report *rep)
{
    const mp_plan *plan = rep->plan;
    char buf[MPI_TEXT_MAX], day[32];
    mpi_xlsx_text(s, 0, 0, plan->name, TITLE);
    mpi_xlsx_text(s, 1, 0, tr(plan, "Client"), BOLD);
    mpi_xlsx_text(s, 1, 1, plan->client, PLAIN);
    mpi_xlsx_text(s, 2, 0, tr(plan, "Period"), BOLD);
    mpi_fmt_day(book_lang(plan), day, sizeof day, plan->start);
    unsigned long np = (unsigned long)plan->periods;
    snprintf(buf, sizeof buf,
             plan->period_kind == MPI_WEEK
                 ? mpi_trn(book_lang(plan), "%lu week from %s", "%lu weeks from %s", np)
                 : mpi_trn(book_lang(plan), "%lu month from %s", "%lu months from %s", np),
             np, day);
    mpi_xlsx_text(s, 2, 1, buf, PLAIN);
    /* the cell shows its currency */
    mpi_xlsx_text(s, 3, 0, tr(plan, "Budget"), BOLD);
    mpi_xlsx_number(s, 3, 1, plan->budget, MONEY);
    mpi_xlsx_text(s, 4, 0, tr(plan, "Objective"), BOLD);
    /* "max conversions", "conversions au maximum", as the terminal says it */
    snprintf(buf, sizeof buf, mpi_trc(book_lang(plan), "objective", "%s %s"),
             mpi_trc(book_lang(plan), "objective", strcmp(rep->obj.sense, "min") ? "max" : "min"),
             tr(plan, rep->obj.kpi));
    mpi_xlsx_text(s, 4, 1, buf, PLAIN);
    snprintf(buf, sizeof buf, tr(plan, "Objective value (%s)"), tr(plan, rep->obj.unit));
    mpi_xlsx_text(s, 5, 0, buf, BOLD);
    mpi_xlsx_number(s, 5, 1, rep->objective, kpi_style(plan->obj_kpi));
    if (rep->sol->quant && plan->obj_sense > 0) /* the mean over the draws (a cost is certain) */
        mpi_xlsx_text(s, 5, 2, tr(plan, "expected (the mean over the draws)"), PLAIN);
    mpi_xlsx_text(s, 6, 0, tr(plan, "Status"), BOLD);
    mpi_xlsx_text(s, 6, 1, tr(plan, rep->status), PLAIN);
    mpi_xlsx_text(s, 7, 0, tr(plan, "Curve tolerance"), BOLD);
    mpi_xlsx_number(s, 7, 1, plan->precision, PCT);
    if (!rep->solved)
        return;
    mpi_xlsx_text(s, 8, 0, tr(plan, "Optimality"), BOLD);
    mpi_certified_text_in(book_lang(plan), buf, sizeof buf, rep->gap, rep->bound_of);
    /* a long sentence (French the longest), wrapped before the charts' column */
    mpi_xlsx_wrap_across(s, 8, 1, SUMMARY_CHART_COL - 1, buf);
    summary_bound(s, 9, rep);
    summary_booked(s, rep);
}

/* The effective reach, the plan's and each channel's that has one, from row
 * r (effective.c); returns the row after them. */
static int effective_rows(mpi_xlsx_sheet *s, int r, const mpi_report *rep)
{
    const mp_plan *plan = rep->plan;
    char label[256];
    if (rep->eff_freq > 0) {
        snprintf(label, sizeof label, tr(plan, "effective reach (%d+ exposures)"), rep->eff_freq);
        mpi_xlsx_text(s, r, 0, label, PLAIN);
        mpi_xlsx_text(s, r, 1, tr(plan, "people"), PLAIN);
        mpi_xlsx_number(s, r++, 2, rep->eff_reach, COUNT);
    }
    for (size_t c = 0; c < rep->nch; c++) {
        if (!(rep->ch[c].eff_freq > 0))
            continue;
        snprintf(label, sizeof label, tr(plan, "effective reach of %s (%d+ exposures)"),
                 rep->ch[c].name, rep->ch[c].eff_freq);
        mpi_xlsx_text(s, r, 0, label, PLAIN);
        mpi_xlsx_text(s, r, 1, tr(plan, "people"), PLAIN);
        mpi_xlsx_number(s, r++, 2, rep->ch[c].eff_reach, COUNT);
    }
    return r;
}

/* The KPI totals from row r; returns the row after them. */
static int summary_kpis(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    /* with draws, the mean over them (uncertain.c) */
    const char *const h[] = {N_("KPI"), N_("unit"),
                             rep->sol->quant ? N_("expected value") : N_("value")};
    const mp_plan *plan = rep->plan;
    text_heads(s, r++, h, 3, TXT(0) | TXT(1), plan);
    for (int q = 0; q < MPI_NKPI; q++) {
        if (!rep->measured[q])
            continue; /* no channel of the plan measures it (report.h) */
        const char *unit = mpi_kpi_unit(plan, q);
        mpi_xlsx_text(s, r, 0, tr(plan, kpi_heads[q].label), PLAIN);
        /* "conversions" once, not again as their unit */
        mpi_xlsx_text(s, r, 1, mpi_strieq(unit, kpi_heads[q].label) ? "" : tr(plan, unit), PLAIN);
        mpi_xlsx_number(s, r++, 2, rep->kpi[q], kpi_style(q));
    }
    /* what a client checks first: cost per conversion and revenue per euro */
    double spend = rep->total_spend, conv = rep->kpi[MPI_CONVERSIONS];
    mpi_xlsx_text(s, r, 0, tr(plan, "CPA"), PLAIN);
    mpi_xlsx_text(s, r, 1, plan->currency, PLAIN);
    mpi_xlsx_number(s, r++, 2, conv > 0 ? spend / conv : NAN, CENTS);
    mpi_xlsx_text(s, r, 0, tr(plan, "ROAS"), PLAIN);
    mpi_xlsx_number(s, r++, 2, spend > 0 ? rep->kpi[MPI_REVENUE] / spend : NAN, PCT);
    if (!rep->measured[MPI_REACH])
        return effective_rows(s, r, rep);
    /* reach above is de-duplicated across channels (with a universe) */
    mpi_xlsx_text(s, r, 0, tr(plan, "reach, summed over channels"), PLAIN);
    mpi_xlsx_text(s, r, 1, tr(plan, "people"), PLAIN);
    mpi_xlsx_number(s, r, 2, rep->reach_summed, COUNT);
    return effective_rows(s, r + 1, rep);
}

/* The "name, type, spend, share" heading of the channel and media tables. */
static void summary_spend_heads(mpi_xlsx_sheet *s, int r, const char *first, const char *second,
                                const mp_plan *plan)
{
    const heading h[] = {
        {first, NULL}, {second, NULL}, {N_("spend"), CUR}, {N_("share of spend"), NULL}};
    headings(s, r, 0, h, 4, TXT(0) | TXT(1), plan);
}

/* Spend by channel, its heading on row r; the channels' rows in *rows. */
static void summary_channels(mpi_xlsx_sheet *s, const mpi_report *rep, int r, mpi_xlsx_range *rows)
{
    summary_spend_heads(s, r++, N_("channel"), N_("type"), rep->plan);
    *rows = (mpi_xlsx_range){r, 0, r + (int)rep->nch - 1, 0};
    for (size_t c = 0; c < rep->nch; c++, r++) {
        mpi_xlsx_text(s, r, 0, rep->ch[c].name, PLAIN);
        mpi_xlsx_text(s, r, 1, media_label(rep->plan, rep->ch[c].media), PLAIN);
        mpi_xlsx_number(s, r, 2, rep->ch[c].spend, MONEY);
        mpi_xlsx_number(s, r, 3, rep->ch[c].share, PCT);
    }
}

/* Spend by media family the plan has (search, social, TV ...), then on
 * digital and offline (the view's last two families), the heading on row r.
 * The families' rows in *rows; returns the row after the table. */
static int summary_media(mpi_xlsx_sheet *s, const mpi_report *rep, int r, mpi_xlsx_range *rows)
{
    summary_spend_heads(s, r++, N_("media"), "", rep->plan);
    int first = r;
    for (size_t m = 0; m < rep->nmedia; m++) {
        if (m < rep->nfamilies && !rep->media[m].present)
            continue;
        if (m == rep->nfamilies)
            *rows = (mpi_xlsx_range){first, 0, r - 1, 0};
        mpi_xlsx_text(s, r, 0, media_label(rep->plan, rep->media[m].name), PLAIN);
        mpi_xlsx_number(s, r, 2, rep->media[m].spend, MONEY);
        mpi_xlsx_number(s, r++, 3, rep->media[m].share, PCT);
    }
    return r;
}

/* The colour of family m in the channel charts: its first channel's; -1
 * when no channel is of it (the chart's own colour then). */
static int family_colour(const mpi_report *rep, size_t m)
{
    for (size_t c = 0; c < rep->nch; c++)
        if (rep->ch[c].media_index == m)
            return (int)c;
    return -1;
}

/* The colour of each present family of rep: its first channel's, as in the
 * channel charts; n of them. */
static int media_colours(const mpi_report *rep, int *k, int max)
{
    int n = 0;
    for (size_t m = 0; m < rep->nfamilies && n < max; m++) {
        if (rep->media[m].present)
            k[n++] = family_colour(rep, m);
    }
    return n;
}

/* Spend by media as columns, each in its first channel's colour, the
 * digital and offline shares in its title. */
static mpi_xlsx_chart *media_chart(mpi_xlsx *x, const mpi_xlsx_sheet *s, const mpi_report *rep,
                                   mpi_xlsx_range families)
{
    const mp_plan *plan = rep->plan;
    mpi_xlsx_chart *ch = mpi_xlsx_chart_add(x, MPI_XLSX_COLUMN);
    mpi_xlsx_series(ch, s, families, (mpi_xlsx_range){families.row0, 2, families.row1, 2},
                    tr(plan, "spend"));
    int k[64];
    mpi_xlsx_points_palette(ch, k, media_colours(rep, k, 64));
    char d[32], o[32], split[192];
    size_t dg = rep->nfamilies;
    mpi_fmt_num(book_lang(plan), d, sizeof d, 100 * rep->media[dg].share, 1);
    mpi_fmt_num(book_lang(plan), o, sizeof o, 100 * rep->media[dg + 1].share, 1);
    /* digital vs offline under the columns */
    snprintf(split, sizeof split, tr(plan, "%s %s %%, %s %s %%"),
             media_label(plan, rep->media[dg].name), d, media_label(plan, rep->media[dg + 1].name),
             o);
    mpi_xlsx_chart_titles(ch, tr(plan, "Spend by media"), split, NULL);
    mpi_xlsx_chart_no_legend(ch);
    mpi_xlsx_chart_axis_styles(ch, PLAIN, MONEY);
    mpi_xlsx_chart_values_from_zero(ch);
    return ch;
}

/* The baseline table's total row (spend and return KPI of both plans, the
 * gain) and their costs per conversion, from row r. */
static int baseline_totals(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mpi_baseline *b = rep->sol->baseline;
    int rq = rep->obj.return_q;
    mpi_xlsx_text(s, r, 0, tr(rep->plan, "total"), BOLD);
    mpi_xlsx_number(s, r, 1, b->kpi[MPI_SPEND], MONEY);
    mpi_xlsx_number(s, r, 2, rep->total_spend, MONEY);
    mpi_xlsx_number(s, r, 3, b->kpi[rq], kpi_style(rq));
    mpi_xlsx_number(s, r, 4, rep->kpi[rq], kpi_style(rq));
    mpi_xlsx_number(s, r++, 5, rep->kpi[rq] - b->kpi[rq], kpi_style(rq));
    double cn = b->kpi[MPI_CONVERSIONS], co = rep->kpi[MPI_CONVERSIONS];
    char head[96];
    snprintf(head, sizeof head, "%s (%s)", tr(rep->plan, "CPA"), rep->plan->currency);
    mpi_xlsx_text(s, r, 0, head, PLAIN);
    mpi_xlsx_number(s, r, 1, cn > 0 ? b->kpi[MPI_SPEND] / cn : NAN, CENTS);
    mpi_xlsx_number(s, r++, 2, co > 0 ? rep->total_spend / co : NAN, CENTS);
    return r;
}

/* What the current plan spends that its channels' curves cannot take, a
 * note a channel, from row r (the terminal says it under the channel). */
static int baseline_unplaced(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mpi_baseline *b = rep->sol->baseline;
    char v[48], line[MPI_TEXT_MAX];
    for (size_t c = 0; c < rep->nch; c++) {
        if (!(b->unplaced[c] > 0))
            continue;
        mpi_fmt_num(book_lang(rep->plan), v, sizeof v, b->unplaced[c], 0);
        snprintf(line, sizeof line,
                 tr(rep->plan, "%s: %s %s more of the current plan finds nothing left to buy in "
                               "its periods and is left out"),
                 rep->ch[c].name, v, rep->plan->currency);
        mpi_xlsx_note(s, r++, 0, line, PLAIN);
    }
    return r;
}

/* The Baseline-vs-optimised table from row r: spend and the return KPI of
 * each channel, current plan and optimised, and the gain; then the
 * objective and the constraints the current plan breaks. The channels' rows
 * in *rows. Returns the row after the table. */
static int baseline_table(mpi_xlsx_sheet *s, const mpi_report *rep, int r, mpi_xlsx_range *rows)
{
    const mpi_baseline *b = rep->sol->baseline;
    const char *unit = mpi_kpi_unit(rep->plan, rep->obj.return_q);
    char title[256];
    const char *file = strrchr(rep->plan->baseline_path, '/');
    const mp_plan *plan = rep->plan;
    snprintf(title, sizeof title, tr(plan, "Current plan (%s) vs optimised"),
             file ? file + 1 : rep->plan->baseline_path);
    mpi_xlsx_note(s, r++, 0, title, BOLD);
    const heading h[] = {{N_("channel"), NULL},        {N_("current plan spend"), CUR},
                         {N_("optimised spend"), CUR}, {N_("current plan"), unit},
                         {N_("optimised"), unit},      {N_("gain"), unit}};
    headings(s, r++, 0, h, 6, TXT(0), plan);
    *rows = (mpi_xlsx_range){r, 0, r + (int)rep->nch - 1, 0};
    for (size_t c = 0; c < rep->nch; c++, r++) {
        double now = b->ch_kpi[c * MPI_NKPI + (size_t)rep->obj.return_q];
        mpi_xlsx_text(s, r, 0, rep->ch[c].name, PLAIN);
        mpi_xlsx_number(s, r, 1, b->ch_kpi[c * MPI_NKPI + MPI_SPEND], MONEY);
        mpi_xlsx_number(s, r, 2, rep->ch[c].spend, MONEY);
        mpi_xlsx_number(s, r, 3, now, kpi_style(rep->obj.return_q));
        mpi_xlsx_number(s, r, 4, rep->ch[c].kpi[rep->obj.return_q], kpi_style(rep->obj.return_q));
        mpi_xlsx_number(s, r, 5, rep->ch[c].kpi[rep->obj.return_q] - now,
                        kpi_style(rep->obj.return_q));
    }
    r = baseline_totals(s, rep, r);
    snprintf(title, sizeof title, tr(plan, "objective (%s)"), tr(plan, rep->obj.unit));
    mpi_xlsx_text(s, r, 0, title, BOLD);
    mpi_xlsx_style obj = kpi_style(rep->plan->obj_kpi);
    mpi_xlsx_number(s, r, 3, b->objective, obj);
    mpi_xlsx_number(s, r, 4, rep->objective, obj);
    mpi_xlsx_number(s, r++, 5, rep->objective - b->objective, obj);
    mpi_xlsx_text(s, r, 0, tr(plan, "gain over the current plan"), BOLD);
    mpi_xlsx_number(s, r++, 5,
                    b->objective != 0 ? (rep->objective - b->objective) / fabs(b->objective) : NAN,
                    PCT);
    return r;
}

/* Row r under the baseline table: the effective reach at [plan]
 * effective_frequency, baseline, optimised and gain, as the objective's
 * row; returns the row after it (r without it). */
static int baseline_effective(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mpi_baseline *b = rep->sol->baseline;
    char label[128], buf[192];
    if (!(rep->eff_freq > 0))
        return r;
    snprintf(label, sizeof label, tr(rep->plan, "effective reach (%d+ exposures)"), rep->eff_freq);
    unit_head(buf, sizeof buf, label, tr(rep->plan, "people"));
    mpi_xlsx_text(s, r, 0, buf, BOLD);
    mpi_xlsx_number(s, r, 3, b->eff_reach, COUNT);
    mpi_xlsx_number(s, r, 4, rep->eff_reach, COUNT);
    mpi_xlsx_number(s, r, 5, rep->eff_reach - b->eff_reach, COUNT);
    return r + 1;
}

/* Beside the figure of a constraint k the current plan breaks, its unit
 * when it counts something, and a reach written in % that share of the
 * universe too: "people (10.5 %)", as the terminal says it. */
static void baseline_broken_unit(mpi_xlsx_sheet *s, const mpi_report *rep,
                                 const mpi_baseline_break *k, int r)
{
    const mpi_expr *e = k->cons ? &k->cons->e : NULL;
    if (!e || e->measure != MPI_M_KPI || !*mpi_kpi_units[mpi_expr_bound_kpi(e)] || isnan(k->value))
        return;
    char share[48], buf[96];
    mpi_reach_share_suffix(book_lang(rep->plan), rep->plan, e, k->cons->text, k->value, share,
                           sizeof share);
    snprintf(buf, sizeof buf, "%s%s", tr(rep->plan, mpi_kpi_units[mpi_expr_bound_kpi(e)]), share);
    mpi_xlsx_text(s, r, 5, buf, PLAIN);
}

/* The constraints the current plan breaks, each marked, from row r. */
static int baseline_broken(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mpi_baseline *b = rep->sol->baseline;
    char buf[256];
    for (size_t i = 0; i < b->nbroken; i++, r++) {
        const mpi_baseline_break *k = &b->broken[i];
        /* one cell, spilling right: the constraint's text is often longer than a column */
        snprintf(buf, sizeof buf, tr(rep->plan, "! the current plan breaks %s (%s)"), k->name,
                 k->expr);
        mpi_xlsx_note(s, r, 0, buf, BOLD);
        mpi_xlsx_text(s, r, 3, tr(rep->plan, "current plan"), PLAIN);
        mpi_xlsx_number(s, r, 4, k->value, expr_style(k->cons ? &k->cons->e : NULL));
        baseline_broken_unit(s, rep, k, r);
    }
    for (size_t i = 0; i < b->nbooking; i++, r++) {
        char line[MPI_TEXT_MAX];
        line[0] = '!';
        line[1] = ' ';
        mpi_baseline_booking_text(rep->plan, &b->booking[i], book_lang(rep->plan), line + 2,
                                  sizeof line - 2);
        mpi_xlsx_note(s, r, 0, line, BOLD);
    }
    if (!b->nbroken && !b->nbooking)
        mpi_xlsx_note(
            s, r++, 0,
            tr(rep->plan, "The current plan meets every constraint and booking rule of the plan"),
            PLAIN);
    return r;
}

/* The baseline chart's column, right of its table: the Summary's sentences
 * beside it wrap before it (summary_sentence). */
#define BASELINE_CHART_COL 6

/* The baseline table and its clustered column chart (the return KPI of each
 * channel, baseline beside optimised), from row r. */
static int summary_baseline(mpi_xlsx *x, mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    mpi_xlsx_range names;
    int top = r;
    mpi_xlsx_columns(s, 4, 5, 16); /* the table's last two columns */
    r = baseline_table(s, rep, r, &names);
    r = baseline_effective(s, rep, r);
    r = baseline_unplaced(s, rep, r);
    r = baseline_broken(s, rep, r);
    mpi_xlsx_chart *col = mpi_xlsx_chart_add(x, MPI_XLSX_COLUMN);
    const mp_plan *plan = rep->plan;
    mpi_xlsx_series(col, s, names, (mpi_xlsx_range){names.row0, 3, names.row1, 3},
                    tr(plan, "current plan"));
    mpi_xlsx_series(col, s, names, (mpi_xlsx_range){names.row0, 4, names.row1, 4},
                    tr(plan, "optimised"));
    char title[160];
    snprintf(title, sizeof title, tr(plan, "%s by channel: current plan vs optimised"),
             tr(plan, kpi_heads[rep->obj.return_q].label));
    mpi_xlsx_chart_titles(col, title, NULL, tr(plan, mpi_kpi_unit(plan, rep->obj.return_q)));
    mpi_xlsx_chart_axis_styles(col, PLAIN, kpi_style(rep->obj.return_q));
    mpi_xlsx_chart_values_from_zero(col);
    mpi_xlsx_chart_insert(s, top, BASELINE_CHART_COL, col); /* whole on its page */
    return r;
}

/* A sentence of the Summary in row r from column 0: across the page, or,
 * with a baseline, wrapped before its chart's column (the chart beside the
 * rows after its table would hide the sentence's end). */
static void summary_sentence(mpi_xlsx_sheet *s, const mpi_report *rep, int r, const char *text)
{
    if (rep->sol->baseline)
        mpi_xlsx_wrap_across(s, r, 0, BASELINE_CHART_COL - 1, text);
    else
        mpi_xlsx_note(s, r, 0, text, PLAIN);
}

/* The binding rows in words from row r, as the terminal says them: "the
 * budget of 450,000 EUR — 1 kEUR more brings 8.69 conversions (true from
 * …)". Returns the row after them. */
static int summary_binding(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    char bound[MPI_TEXT_MAX / 4], rest[MPI_TEXT_MAX], line[MPI_TEXT_MAX + MPI_TEXT_MAX / 4];
    mpi_xlsx_note(s, r++, 0, tr(rep->plan, "Limits the plan reaches"), BOLD);
    for (size_t i = 0; i < rep->nrows; i++)
        if (rep->row[i].binding) {
            mpi_binding_words(rep, &rep->row[i], book_lang(rep->plan), bound, sizeof bound, rest,
                              sizeof rest);
            snprintf(line, sizeof line, "%s%s", bound, rest);
            summary_sentence(s, rep, r++, line);
        }
    mpi_unspent_text(rep, book_lang(rep->plan), line, sizeof line);
    if (*line)
        summary_sentence(s, rep, r++, line);
    return r;
}

/* What carries over from row r (adstock.c): each channel's rate and what it
 * brings in from before the plan, and the response after the plan. */
static int summary_carryover(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mp_plan *plan = rep->plan;
    mpi_lang l = book_lang(plan);
    char a[64], b[64], text[512];
    if (!mpi_plan_has_adstock(plan))
        return r;
    mpi_xlsx_note(s, r++, 0, tr(plan, "Carryover"), BOLD);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!(ch->adstock > 0))
            continue;
        mpi_fmt_num(l, a, sizeof a, 100 * ch->adstock, 1);
        mpi_fmt_num(l, b, sizeof b, ch->carry_in, 0);
        snprintf(text, sizeof text,
                 tr(plan, plan->period_kind == MPI_WEEK
                              ? N_("keeps %s%% of its adstock from one week to the next; %s %s "
                                   "carried in from before the plan")
                              : N_("keeps %s%% of its adstock from one month to the next; %s %s "
                                   "carried in from before the plan")),
                 a, b, plan->currency);
        mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
        mpi_xlsx_note(s, r++, 1, text, PLAIN);
    }
    if (!rep->sol->after_kpi || plan->count_after <= 0)
        return r;
    int q = rep->obj.return_q;
    if (q != MPI_CLICKS && q != MPI_REVENUE)
        q = MPI_CONVERSIONS;
    mpi_fmt_num(l, a, sizeof a, rep->sol->after_total[q], 0);
    snprintf(text, sizeof text,
             mpi_trn(l,
                     "After the plan: %s %s more in the %d period after it, from what the "
                     "plan carries over (counted in the objective)",
                     "After the plan: %s %s more in the %d periods after it, from what the "
                     "plan carries over (counted in the objective)",
                     (unsigned long)plan->count_after),
             a, q == MPI_REVENUE ? plan->currency : tr(plan, mpi_kpi_names[q]), plan->count_after);
    mpi_xlsx_note(s, r++, 0, text, PLAIN);
    return r;
}

/* What stops each channel from getting more, from row r: the channel, then
 * the reason; those on the margin in one line, with what their spread means. */
static int summary_limits(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    char text[MPI_TEXT_MAX];
    mpi_lang l = book_lang(rep->plan);
    mpi_xlsx_note(s, r++, 0, tr(rep->plan, "What stops each channel"), BOLD);
    for (size_t c = 0; c < rep->nch; c++)
        if (mpi_limit_own_line(&rep->ch[c])) {
            mpi_xlsx_text(s, r, 0, rep->ch[c].name, PLAIN);
            mpi_limit_text_in(rep, c, l, text, sizeof text);
            mpi_xlsx_note(s, r++, 1, text, PLAIN);
        }
    mpi_margin_line(rep, l, text, sizeof text);
    if (*text)
        mpi_xlsx_note(s, r++, 0, text, PLAIN);
    mpi_margin_precision(rep, l, text, sizeof text);
    if (*text)
        mpi_xlsx_note(s, r++, 0, text, PLAIN);
    return r;
}

/* A min plan's target over the draws (uncertain.c): how often it is met,
 * on row r; returns the row after it. */
static int summary_draws_target(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mpi_quantiles *qs = rep->sol->quant;
    const mp_plan *plan = rep->plan;
    if (qs->target < 0 || isnan(qs->met) || mpi_cons_must_hold(plan, (size_t)qs->target))
        return r; /* held in every draw: hold.c's line says so */
    char buf[256], pct[32];
    mpi_fmt_pct(book_lang(plan), pct, sizeof pct, 100 * qs->met);
    snprintf(buf, sizeof buf,
             tr(plan, "Target \"%s\": met in %s of the draws (the plan meets it in "
                      "expectation, on average over them)"),
             plan->cons[qs->target].text, pct);
    mpi_xlsx_note(s, r, 0, buf, PLAIN);
    return r + 1;
}

/* A round value below lo for a value axis showing lo..hi: a band's spread
 * fills the chart's height instead of topping a column from 0 (0 when lo is
 * not above 0, or close enough to it). Its ticks are 1, 2 or 5 times a
 * power of ten near a fifth of the spread. */
static double band_axis_min(double lo, double hi)
{
    if (!(lo > 0) || !(hi >= lo))
        return 0;
    double span = hi - lo > 1e-9 * hi ? hi - lo : 0.1 * hi;
    double step = pow(10, floor(log10(span / 5)));
    step *= span / 5 >= 5 * step ? 5 : span / 5 >= 2 * step ? 2 : 1;
    double min = floor((lo - 0.1 * span) / step) * step;
    return min > 0 ? min : 0;
}

/* Where the Summary's band charts read their figures: each row's P10, P50 -
 * P10 and P90 - P50, in columns folded away far right of the tables. */
#define DRAWS_BAND_COL 40

static const char *const draws_band_heads[] = {N_("P10"), N_("P10 to P50 (median)"),
                                               N_("P50 (median) to P90")};

/* A P10-P90 band chart of rows first..last of the draws' table: a floating
 * column from P10 to P90 for each, its median where its two shades meet,
 * on a value axis from min. */
static mpi_xlsx_chart *draws_band_chart(mpi_xlsx *x, const mpi_xlsx_sheet *s, const mpi_report *rep,
                                        mpi_xlsx_range rows, double min)
{
    const mp_plan *plan = rep->plan;
    int q = rep->sol->quant->q;
    mpi_xlsx_chart *ch = mpi_xlsx_chart_add(x, MPI_XLSX_STACKED);
    mpi_xlsx_range names = {rows.row0, 0, rows.row1, 0};
    for (int k = 0; k < 3; k++) {
        int col = DRAWS_BAND_COL + k;
        mpi_xlsx_series(ch, s, names, (mpi_xlsx_range){rows.row0, col, rows.row1, col},
                        tr(plan, draws_band_heads[k]));
        if (k)
            mpi_xlsx_series_band(ch, k - 1);
        else
            mpi_xlsx_series_floor(ch);
    }
    mpi_xlsx_chart_axis_styles(ch, PLAIN, kpi_style(q));
    mpi_xlsx_chart_values_from(ch, min);
    mpi_xlsx_chart_legend_below(ch);
    return ch;
}

/* The plan's band, then the channels' on an axis of their own (the plan's
 * total beside a channel's would flatten both), right of the draws' table
 * (rows first, the plan, .. last) from row top; lo..hi the channels'. */
static void draws_band_charts(mpi_xlsx *x, mpi_xlsx_sheet *s, const mpi_report *rep, int top,
                              mpi_xlsx_range rows, double lo, double hi)
{
    const mp_plan *plan = rep->plan;
    const mpi_quantiles *qs = rep->sol->quant;
    const char *kpi = tr(plan, kpi_heads[qs->q].label);
    char title[256];
    mpi_xlsx_chart *ch = draws_band_chart(x, s, rep, (mpi_xlsx_range){rows.row0, 0, rows.row0, 0},
                                          band_axis_min(qs->obj.p10, qs->obj.p90));
    snprintf(title, sizeof title, "%s", tr(plan, "the plan, P10 to P90"));
    mpi_xlsx_chart_titles(ch, title, NULL, tr(plan, mpi_kpi_unit(plan, qs->q)));
    mpi_xlsx_chart_place(s, top, 7, ch, 0, 280, 300);
    if (rows.row1 > rows.row0) {
        ch = draws_band_chart(x, s, rep, (mpi_xlsx_range){rows.row0 + 1, 0, rows.row1, 0},
                              band_axis_min(lo, hi));
        snprintf(title, sizeof title, tr(plan, "%s by channel, P10 to P90"), kpi);
        mpi_xlsx_chart_titles(ch, title, NULL, tr(plan, mpi_kpi_unit(plan, qs->q)));
        mpi_xlsx_chart_place(s, top, 7, ch, 290, 420, 300);
    }
    mpi_xlsx_hide_columns(s, DRAWS_BAND_COL, DRAWS_BAND_COL + 2);
}

/* The plan's outcomes over the draws of its uncertain curves (uncertain.c)
 * from row r: what they are taken over and that the figures above are
 * expected ones, then the plan's total and each uncertain channel's as
 * draws, mean, P10, P50 and P90; their P10-P90 bands right of the table. */
static int summary_draws(mpi_xlsx *x, mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    static const char *const h[] = {N_("plan or channel"),
                                    N_("mean (expected)"),
                                    N_("P10"),
                                    N_("P50 (median)"),
                                    N_("P90"),
                                    N_("draws")};
    const mp_plan *plan = rep->plan;
    const mpi_quantiles *qs = rep->sol->quant;
    char title[320], basis[MPI_TEXT_MAX];
    mpi_draws_basis_text(book_lang(plan), plan, qs, basis, sizeof basis);
    snprintf(title, sizeof title, tr(plan, "Uncertain curves: %s over %s"),
             tr(plan, kpi_heads[qs->q].label), basis);
    int top = r;
    mpi_xlsx_note(s, r++, 0, title, BOLD);
    mpi_xlsx_note(s, r++, 0,
                  tr(plan, "The objective, KPIs and constraints above are expected figures: the "
                           "mean over the draws."),
                  PLAIN);
    text_heads(s, r, h, 6, TXT(0), plan);
    for (int k = 0; k < 3; k++)
        mpi_xlsx_text(s, r, DRAWS_BAND_COL + k, tr(plan, draws_band_heads[k]), NHEAD);
    int first = ++r;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t c = 0; c <= plan->nch; c++) {
        const mpi_qset *v = c ? &qs->ch[c - 1] : &qs->obj;
        if (c && !qs->ch_nd[c - 1])
            continue;
        mpi_xlsx_text(s, r, 0, c ? plan->ch[c - 1].name : tr(plan, "the plan"), PLAIN);
        const double cells[4] = {v->mean, v->p10, v->p50, v->p90};
        for (int k = 0; k < 4; k++)
            mpi_xlsx_number(s, r, 1 + k, cells[k], kpi_style(qs->q));
        /* the plan's: the outcomes its quantiles count, with ranges crossed
         * the files' draws (the title says each is taken at three points) */
        double nd = plan->draws_crossed ? (double)plan->draws_crossed : (double)qs->ndraws;
        mpi_xlsx_number(s, r, 5, c ? (double)qs->ch_nd[c - 1] : nd, COUNT);
        const double band[3] = {v->p10, v->p50 - v->p10, v->p90 - v->p50};
        for (int k = 0; k < 3; k++)
            mpi_xlsx_number(s, r, DRAWS_BAND_COL + k, band[k], kpi_style(qs->q));
        lo = c ? fmin(lo, v->p10) : lo;
        hi = c ? fmax(hi, v->p90) : hi;
        r++;
    }
    draws_band_charts(x, s, rep, top, (mpi_xlsx_range){first, 0, r - 1, 0}, lo, hi);
    return summary_draws_target(s, rep, r);
}

#define FLIGHTING_ROW 15

static mpi_xlsx_sheet *sheet_summary(mpi_xlsx *x, const mpi_report *rep)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Summary"));
    print_setup(s, rep->plan, 0, -1, 1);
    mpi_xlsx_columns(s, 0, 0, 37); /* "Exact optimum at most (conversions)" whole */
    mpi_xlsx_columns(s, 1, 3, 16); /* the four fit a portrait page */
    summary_brief(s, rep);
    int r = summary_kpis(s, rep, rep->sol->booked && rep->solved ? 14 : 11) + 1;
    mpi_xlsx_range names;
    summary_channels(s, rep, r, &names);
    mpi_xlsx_range families = {0};
    int after = summary_media(s, rep, names.row1 + 2, &families);
    mpi_xlsx_chart *pie = mpi_xlsx_chart_add(x, MPI_XLSX_PIE);
    mpi_xlsx_range spends = {names.row0, 2, names.row1, 2};
    mpi_xlsx_series(pie, s, names, spends, NULL);
    mpi_xlsx_points_colours(pie, (int)rep->nch);
    mpi_xlsx_chart_titles(pie, tr(rep->plan, "Spend by channel"), NULL, NULL);
    mpi_xlsx_chart_place(s, 1, SUMMARY_CHART_COL, pie, 0, 330, 260);
    if (families.row1 >= families.row0)
        mpi_xlsx_chart_place(s, 1, SUMMARY_CHART_COL, media_chart(x, s, rep, families), 340, 300,
                             260);
    r = after + 1;
    if (rep->sol->baseline && rep->solved)
        r = summary_baseline(x, s, rep, r) + 1;
    if (rep->solved)
        r = summary_carryover(s, rep, summary_limits(s, rep, summary_binding(s, rep, r) + 1) + 1);
    if (rep->solved && rep->sol->quant)
        r = summary_draws(x, s, rep, r + 1);
    int next = r + 1;
    for (int k = 0; rep->solved && rep->sol->risk && k < 3; k++) { /* risk.c's lines */
        char line[MPI_TEXT_MAX];
        mpi_risk_text(rep->sol, book_lang(rep->plan), k, line, sizeof line);
        if (*line)
            mpi_xlsx_note(s, next++, 0, line, PLAIN);
    }
    for (size_t i = 0; rep->solved && rep->sol->hold && i < rep->plan->ncons; i++) {
        char line[MPI_TEXT_MAX]; /* hold.c's lines: the constraints that must hold in every draw */
        mpi_hold_text(rep->sol, i, book_lang(rep->plan), line, sizeof line);
        if (*line)
            mpi_xlsx_note(s, next++, 0, line, PLAIN);
    }
    return s;
}

/* ---- Plan: spend by channel and period ---------------------------------- */

static void plan_heads(mpi_xlsx_sheet *s, const mpi_report *rep)
{
    const mp_plan *plan = rep->plan;
    char buf[96];
    snprintf(buf, sizeof buf, tr(plan, "spend (%s) by period"), plan->currency);
    mpi_xlsx_text(s, 0, 0, buf, BOLD);
    mpi_xlsx_text(s, 1, 0, tr(plan, "channel"), HEAD);
    mpi_xlsx_text(s, 1, 1, tr(plan, "type"), HEAD);
    for (size_t t = 0; t < rep->nperiods; t++) /* each period by the day it starts */
        mpi_xlsx_date(s, 1, 2 + (int)t, plan->period_start[t], MPI_XLSX_HEAD_DATE);
    mpi_xlsx_text(s, 1, 2 + (int)rep->nperiods, tr(plan, "total"), NHEAD);
}

/* The totals row r under the channels: a SUM down each period and the total. */
static void plan_totals(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    int np = (int)rep->nperiods;
    mpi_xlsx_text(s, r, 0, tr(rep->plan, "total"), BOLD);
    for (int t = 0; t <= np; t++) {
        double v = t < np ? rep->period[t].spend : rep->total_spend;
        mpi_xlsx_sum(s, r, 2 + t, (mpi_xlsx_range){2, 2 + t, r - 1, 2 + t}, v, MONEY);
    }
}

/* The ISO week of a day (since 1970-01-01, a Thursday): the week of its
 * Thursday, counted from the year's first Thursday. */
static int iso_week(long day)
{
    long wd = ((day % 7) + 7 + 3) % 7; /* Monday 0 */
    long thu = day - wd + 3;
    int y, m, d;
    mpi_civil_from_days(thu, &y, &m, &d);
    return (int)((thu - mpi_days_from_civil(y, 1, 1)) / 7) + 1;
}

/* Row r under the totals: each period as planners name it, the calendar
 * week ("W10", "S10" in French) or the month ("03/2027"), as text: the
 * flighting chart's categories, one label a column (date categories make
 * LibreOffice draw a time axis of thin bars labelled every few days). */
static void plan_period_names(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mp_plan *plan = rep->plan;
    int week = plan->period_kind == MPI_WEEK;
    mpi_xlsx_text(s, r, 0, week ? tr(plan, "calendar week") : tr(plan, "month"), BOLD);
    for (size_t t = 0; t < rep->nperiods; t++) {
        char buf[32];
        int y, m, d;
        mpi_civil_from_days(plan->period_start[t], &y, &m, &d);
        if (week)
            snprintf(buf, sizeof buf, tr(plan, "W%d"), iso_week(plan->period_start[t]));
        else
            snprintf(buf, sizeof buf, "%02d/%04d", m, y);
        mpi_xlsx_text(s, r, 2 + (int)t, buf, MPI_XLSX_RIGHT); /* under its figures */
    }
}

/* The flighting chart on the Summary: spend by period stacked by channel,
 * read from the Plan sheet's rows, each channel in its colour; its
 * categories the periods' names on row names. */
static void flighting_chart(mpi_xlsx *x, mpi_xlsx_sheet *summary, const mpi_xlsx_sheet *s,
                            const mpi_report *rep, int names)
{
    int np = (int)rep->nperiods;
    mpi_xlsx_chart *ch = mpi_xlsx_chart_add(x, MPI_XLSX_STACKED);
    mpi_xlsx_range cats = {names, 2, names, 1 + np};
    for (size_t c = 0; c < rep->nch; c++) {
        int r = 2 + (int)c;
        mpi_xlsx_series_named_by(ch, s, cats, (mpi_xlsx_range){r, 2, r, 1 + np}, r, 0);
        mpi_xlsx_series_colour(ch, (int)c);
    }
    mpi_xlsx_chart_titles(ch, tr(rep->plan, "Spend by period and channel"), NULL,
                          rep->plan->currency);
    mpi_xlsx_chart_axis_styles(ch, PLAIN, MONEY);
    mpi_xlsx_chart_values_from_zero(ch);
    mpi_xlsx_chart_place(summary, FLIGHTING_ROW, SUMMARY_CHART_COL, ch, 0, 640, 300);
}

/* Row r: booked TV or radio channel c's GRP by period, as a schedule is
 * read (its spots times its GRP per spot), and their sum. */
static void plan_grp_row(mpi_xlsx_sheet *s, const mpi_report *rep, size_t c, int r)
{
    int np = (int)rep->nperiods;
    mpi_xlsx_text(s, r, 0, rep->ch[c].name, PLAIN);
    mpi_xlsx_text(s, r, 1, tr(rep->plan, "GRP"), PLAIN);
    for (int t = 0; t < np; t++)
        mpi_xlsx_number(s, r, 2 + t, mpi_report_period_kpi(rep, c, (size_t)t, MPI_GRP),
                        kpi_style(MPI_GRP));
    mpi_xlsx_sum(s, r, 2 + np, (mpi_xlsx_range){r, 2, r, 1 + np}, rep->ch[c].kpi[MPI_GRP],
                 kpi_style(MPI_GRP));
}

/* Under the period names from row r, for each booked channel (mip.c): its
 * whole spots or insertions by period, a TV or radio channel's GRP, and
 * whether it is on air. */
static void plan_booking(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    const mp_plan *plan = rep->plan;
    const mp_solution *sol = rep->sol;
    size_t np = rep->nperiods;
    if (!sol->booked || !rep->solved || !sol->book_units)
        return;
    mpi_xlsx_text(s, r++, 0, tr(plan, "booked by period"), BOLD);
    for (size_t c = 0; c < rep->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!mpi_channel_booked(ch))
            continue;
        if (!isnan(sol->book_units[c * np])) {
            mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
            mpi_xlsx_text(
                s, r, 1, mpi_channel_press(ch) ? tr(plan, "insertions") : tr(plan, "spots"), PLAIN);
            double total = 0;
            for (size_t t = 0; t < np; t++) {
                mpi_xlsx_number(s, r, 2 + (int)t, sol->book_units[c * np + t], COUNT);
                total += sol->book_units[c * np + t];
            }
            mpi_xlsx_sum(s, r, 2 + (int)np, (mpi_xlsx_range){r, 2, r, 1 + (int)np}, total, COUNT);
            r++;
        }
        if (mpi_channel_airtime(ch))
            plan_grp_row(s, rep, c, r++);
        mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
        mpi_xlsx_text(s, r, 1, mpi_channel_press(ch) ? tr(plan, "in print") : tr(plan, "on air"),
                      PLAIN);
        for (size_t t = 0; t < np; t++)
            mpi_xlsx_text(s, r, 2 + (int)t,
                          yes_no(plan, mpi_report_period_kpi(rep, c, t, MPI_SPEND) > 0),
                          MPI_XLSX_RIGHT);
        r++;
    }
}

static void sheet_plan(mpi_xlsx *x, const mpi_report *rep, mpi_xlsx_sheet *summary)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Plan"));
    int np = (int)rep->nperiods;
    plan_heads(s, rep);
    mpi_xlsx_columns(s, 0, 0, 22);
    mpi_xlsx_columns(s, 2, 2 + np, 11); /* "02/03/2027" and "21 094 €" */
    int r = 2;
    for (size_t c = 0; c < rep->nch; c++, r++) {
        mpi_xlsx_text(s, r, 0, rep->ch[c].name, PLAIN);
        mpi_xlsx_text(s, r, 1, media_label(rep->plan, rep->ch[c].media), PLAIN);
        for (int t = 0; t < np; t++)
            mpi_xlsx_number(s, r, 2 + t, mpi_report_period_kpi(rep, c, (size_t)t, MPI_SPEND),
                            MONEY);
        mpi_xlsx_sum(s, r, 2 + np, (mpi_xlsx_range){r, 2, r, 1 + np}, rep->ch[c].spend, MONEY);
    }
    plan_totals(s, rep, r);
    plan_period_names(s, rep, r + 2);
    plan_booking(s, rep, r + 4);
    flighting_chart(x, summary, s, rep, r + 2);
    mpi_xlsx_freeze(s, 2, 2);
    print_setup(s, rep->plan, 0, 1, 0);
}

/* ---- Channels ------------------------------------------------------------ */

static double name_width(const mpi_report *rep);

/* The KPIs of the Channels sheet, from column 2, with their headings. */
static const int channel_kpis[] = {MPI_SPEND,   MPI_IMPRESSIONS, MPI_CLICKS, MPI_CONVERSIONS,
                                   MPI_REVENUE, MPI_GRP,         MPI_REACH,  MPI_CO2};
#define NCHANNEL_KPIS ((int)(sizeof channel_kpis / sizeof channel_kpis[0]))

static void channel_heads(mpi_xlsx_sheet *s, const mpi_report *rep)
{
    static const heading first[] = {
        {N_("channel"), NULL},     {N_("type"), NULL},   {N_("spend"), CUR},
        {N_("impressions"), NULL}, {N_("clicks"), NULL}, {N_("conversions"), NULL},
        {N_("revenue"), CUR},      {N_("GRP"), NULL},    {N_("reach"), N_("people")},
        {N_("CO2e"), N_("kg")},    {N_("CPA"), CUR},     {N_("ROAS"), NULL}};
    const mp_plan *plan = rep->plan;
    const char *cur = plan->currency;
    int n = (int)(sizeof first / sizeof first[0]);
    headings(s, 0, 0, first, n, TXT(0) | TXT(1), plan);
    int rq = rep->obj.return_q;
    char buf[160];
    if (rep->eff_marginal_k > 0) /* what a min plan's effective-reach floor gains */
        snprintf(buf, sizeof buf,
                 tr(plan, "marginal effective reach (%d+ exposures, people per k%s)"),
                 rep->eff_marginal_k, cur);
    else
        snprintf(buf, sizeof buf, tr(plan, "marginal return (%s per k%s)"),
                 rq == MPI_REVENUE ? cur : tr(plan, mpi_kpi_names[rq]), cur);
    mpi_xlsx_text(s, 0, n, buf, NHEAD);
    mpi_xlsx_text(s, 0, n + 1, tr(plan, "what stops it"), MPI_XLSX_HEAD_WRAP);
}

static void channel_row(mpi_xlsx_sheet *s, int r, const mpi_report *rep, size_t c)
{
    const mp_plan *plan = rep->plan;
    const mpi_report_channel *rc = &rep->ch[c];
    char why[MPI_TEXT_MAX];
    mpi_xlsx_text(s, r, 0, rc->name, PLAIN);
    mpi_xlsx_text(s, r, 1, media_label(plan, rc->media), PLAIN);
    for (int k = 0; k < NCHANNEL_KPIS; k++)
        mpi_xlsx_number(s, r, 2 + k, rc->kpi[channel_kpis[k]], kpi_style(channel_kpis[k]));
    int col = 2 + NCHANNEL_KPIS;
    mpi_xlsx_number(s, r, col++, rc->cpa, CENTS);
    mpi_xlsx_number(s, r, col++, rc->roas, PCT); /* 3.95 shows 395 % */
    mpi_xlsx_number(s, r, col++,
                    (rep->sol && rep->sol->trivial) || mpi_booked_off(rep, c)
                        ? NAN
                        : mpi_report_marginal(rep, c) * 1000,
                    DEC);
    mpi_limit_text_in(rep, c, book_lang(plan), why, sizeof why);
    mpi_xlsx_wrap(s, r, col, why); /* a sentence, wrapped; its row as tall as it */
}

/* The total row r under the channels: a SUM down each KPI (reach: the
 * plan's, de-duplicated across channels as on the Summary), then the plan's
 * CPA and ROAS. */
static void channel_totals(mpi_xlsx_sheet *s, const mpi_report *rep, int r)
{
    double sum[MPI_NKPI] = {0};
    for (size_t c = 0; c < rep->nch; c++)
        for (int q = 0; q < MPI_NKPI; q++)
            sum[q] += rep->ch[c].kpi[q];
    mpi_xlsx_text(s, r, 0, tr(rep->plan, "total"), BOLD);
    for (int k = 0; k < NCHANNEL_KPIS; k++) {
        int q = channel_kpis[k], col = 2 + k;
        if (q == MPI_REACH)
            mpi_xlsx_number(s, r, col, rep->kpi[q], kpi_style(q));
        else
            mpi_xlsx_sum(s, r, col, (mpi_xlsx_range){1, col, r - 1, col}, sum[q], kpi_style(q));
    }
    double spend = sum[MPI_SPEND], conv = sum[MPI_CONVERSIONS];
    int col = 2 + NCHANNEL_KPIS;
    mpi_xlsx_number(s, r, col++, conv > 0 ? spend / conv : NAN, CENTS);
    mpi_xlsx_number(s, r, col, spend > 0 ? sum[MPI_REVENUE] / spend : NAN, PCT);
}

/* The Channels sheet: a channel a row, its figures, and what stops it in a
 * wrapped sentence, the last column. The CO2e factors and their sources are
 * on the Assumptions sheet, with the other inputs (a long source here made
 * the sheet print small). */
static void sheet_channels(mpi_xlsx *x, const mpi_report *rep)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Channels"));
    /* "what stops it" (after CPA, ROAS and the marginal return) is a
     * sentence: its width is set first, its rows made as tall as it wraps */
    int why = 5 + NCHANNEL_KPIS;
    mpi_xlsx_columns(s, 0, 0, name_width(rep));
    mpi_xlsx_columns(s, 2, why - 1, 11);
    mpi_xlsx_columns(s, why, why, 40);
    channel_heads(s, rep);
    for (size_t c = 0; c < rep->nch; c++)
        channel_row(s, (int)c + 1, rep, c);
    channel_totals(s, rep, (int)rep->nch + 1);
    mpi_xlsx_freeze(s, 1, 1);
    print_setup(s, rep->plan, 0, 0, 0);
}

/* ---- Keywords ------------------------------------------------------------ */

/* Whether a channel of plan reads keywords (a search channel): without one
 * the Keywords and Groups sheets would be empty and are left out. */
static int has_keywords(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].ops->keyword_count)
            return 1;
    return 0;
}

static const heading keyword_heads[] = {{N_("channel"), NULL},
                                        {N_("keyword"), NULL},
                                        {N_("group"), NULL},
                                        {N_("bid"), CUR},
                                        {N_("clicks"), NULL},
                                        {N_("cost"), CUR},
                                        {N_("conversions"), NULL},
                                        {N_("impressions"), NULL},
                                        {N_("revenue"), CUR},
                                        {N_("avg. monthly searches"), NULL},
                                        {N_("top of page bid low"), CUR},
                                        {N_("top of page bid high"), CUR},
                                        {N_("volume bucketed"), NULL},
                                        {N_("default bids"), NULL},
                                        {N_("source line"), NULL}};
#define NKEYWORD_HEADS ((int)(sizeof keyword_heads / sizeof keyword_heads[0]))

static void keyword_row(mpi_xlsx_sheet *s, int r, const mpi_report *rep, size_t k)
{
    const mpi_kw_result *kr;
    const mpi_keyword *kwd = mpi_report_keyword(rep, k, &kr);
    mpi_xlsx_text(s, r, 0, mpi_report_keyword_channel(rep, k), PLAIN);
    mpi_xlsx_text_cut(s, r, 1, kwd->text, PLAIN); /* a keyword may pass a cell's limit */
    mpi_xlsx_text(s, r, 2, kwd->group, PLAIN);
    /* columns 3-8: what the solution bought. The bid in cents, as it is shown
     * and typed into the ad platform; the others, which add up to the
     * channel's totals, to the solver's precision (a sheet of 100,000 rows
     * writes and compresses much faster without its "%.16G" noise) */
    mpi_xlsx_shown(s, r, 3, kr->bid, CENTS);
    static const mpi_xlsx_style style[] = {COUNT, MONEY, CONV, COUNT, MONEY};
    const double v[] = {kr->clicks, kr->spend, kr->conversions, kr->impressions, kr->revenue};
    for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
        mpi_xlsx_figure(s, r, 4 + i, v[i], style[i]);
    /* columns 9-11: the Keyword Planner's figures, as read */
    mpi_xlsx_number(s, r, 9, kwd->volume, COUNT);
    mpi_xlsx_number(s, r, 10, kwd->bid_lo, CENTS);
    mpi_xlsx_number(s, r, 11, kwd->bid_hi, CENTS);
    const mp_plan *plan = rep->plan;
    mpi_xlsx_text(s, r, 12, yes_no(plan, kwd->flags & MPI_KW_BUCKETED), PLAIN);
    mpi_xlsx_text(s, r, 13, yes_no(plan, kwd->flags & MPI_KW_DEFAULT_BIDS), PLAIN);
    mpi_xlsx_number(s, r, 14, kwd->line, PLAIN);
}

/* A column wide enough for the longest channel name. */
static double name_width(const mpi_report *rep)
{
    size_t w = 10;
    for (size_t c = 0; c < rep->nch; c++) {
        size_t units = 0;
        mpi_utf8_cut_units(rep->ch[c].name, 255, &units);
        w = units > w ? units : w;
    }
    return (double)w + 2;
}

/* A keyword's place on the sheet: by spend, highest first, the export's
 * order among equals. */
typedef struct kw_rank {
    double spend;
    size_t k;
} kw_rank;

static int kw_rank_cmp(const void *a, const void *b)
{
    const kw_rank *p = a, *q = b;
    if (p->spend != q->spend)
        return p->spend < q->spend ? 1 : -1;
    return p->k < q->k ? -1 : p->k > q->k;
}

/* Move the first top of a[0..n) by kw_rank_cmp to the front, in no
 * particular order, the others after them: Hoare's selection around the
 * median of three, a range still large after 64 rounds sorted whole. The
 * ranks are all different (k breaks ties), so each round leaves both sides
 * non-empty. */
static void kw_select(kw_rank *a, size_t n, size_t top)
{
    size_t lo = 0, hi = n; /* the cut at top lies in [lo, hi] */
    for (int round = 0; hi - lo > 32 && round < 64; round++) {
        size_t mid = lo + (hi - lo) / 2, m = hi - 1;
        kw_rank *x = &a[lo], *y = &a[mid], *z = &a[m];
        kw_rank *med = kw_rank_cmp(x, y) < 0   ? (kw_rank_cmp(y, z) < 0   ? y
                                                  : kw_rank_cmp(x, z) < 0 ? z
                                                                          : x)
                       : kw_rank_cmp(x, z) < 0 ? x
                       : kw_rank_cmp(y, z) < 0 ? z
                                               : y;
        kw_rank t = *med;
        *med = a[lo];
        a[lo] = t;
        /* classic Hoare around a[lo]: [lo, j] before the pivot or it, (j, hi) after */
        size_t i = lo, j = hi;
        for (;;) {
            while (kw_rank_cmp(&a[i], &t) < 0)
                i++;
            while (kw_rank_cmp(&a[--j], &t) > 0)
                ;
            if (i >= j)
                break;
            kw_rank u = a[i];
            a[i++] = a[j];
            a[j] = u;
        }
        if (top <= j + 1)
            hi = j + 1;
        else
            lo = j + 1;
    }
    qsort(a + lo, hi - lo, sizeof *a, kw_rank_cmp);
}

/* The report's n keywords, the first top of them by spend, in order (the
 * others after them in no order); NULL when out of memory. */
static kw_rank *keywords_by_spend(const mpi_report *rep, size_t n, size_t top)
{
    kw_rank *order = mpi_calloc(n ? n : 1, sizeof *order);
    if (!order)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        const mpi_kw_result *kr;
        mpi_report_keyword(rep, k, &kr);
        order[k] = (kw_rank){isfinite(kr->spend) ? kr->spend : 0, k};
    }
    if (top < n)
        kw_select(order, n, top); /* a million keywords: no need to sort them all */
    qsort(order, top < n ? top : n, sizeof *order, kw_rank_cmp);
    return order;
}

/* Rows of keywords a printed Keywords sheet carries: a search account's tens
 * of thousands would print a thousand pages of a workbook that prints as it
 * is sent; the sheet keeps more, the print its top by spend. */
#define KEYWORDS_PRINTED 200

/* Keywords the sheet lists, by spend: a million-keyword account's sheet sits
 * at Excel's 1,048,576 rows, takes minutes to open and took 12.7 s of a 16.5 s
 * run to write (libxlsxwriter's compression and number formatting); past
 * this many the others are summed in a row per channel under the list, and
 * the JSON keeps every keyword. */
#define KEYWORDS_LISTED 100000

/* The note beside the heading of a sheet of n keywords that lists listed of
 * them. */
static void keywords_note(const mp_plan *plan, size_t n, size_t listed, const char *all, char *buf,
                          size_t size)
{
    if (listed == n) {
        snprintf(buf, size,
                 tr(plan, "Printed: the %d keywords with the most spend, of %s. Every keyword is "
                          "on this sheet, by spend, highest first, and in the JSON (--json)."),
                 KEYWORDS_PRINTED, all);
        return;
    }
    char shown[32];
    mpi_fmt_num(book_lang(plan), shown, sizeof shown, (double)listed, 0);
    snprintf(buf, size,
             tr(plan, "Printed: the %d keywords with the most spend, of %s. This sheet lists the "
                      "%s with the most spend, highest first, and sums the others in a row per "
                      "channel under them; every keyword, with its bid, is in the JSON (--json)."),
             KEYWORDS_PRINTED, all, shown);
}

/* How the sheet of n keywords, listed of them on it, prints: the first
 * KEYWORDS_PRINTED under their heading, a note beside the heading and the
 * footer saying so. */
static void keywords_print(mpi_xlsx_sheet *s, const mp_plan *plan, size_t n, size_t listed)
{
    char note[600], all[32], foot[600];
    if (n <= KEYWORDS_PRINTED) {
        print_setup(s, plan, 0, 0, 0);
        return;
    }
    mpi_fmt_num(book_lang(plan), all, sizeof all, (double)n, 0);
    keywords_note(plan, n, listed, all, note, sizeof note);
    mpi_xlsx_note(s, 0, NKEYWORD_HEADS + 1, note, BOLD);
    snprintf(foot, sizeof foot,
             tr(plan, "Page {page} of {pages}: the %d keywords with the most spend, of %s"),
             KEYWORDS_PRINTED, all);
    mpi_xlsx_print_area(s, (mpi_xlsx_range){0, 0, KEYWORDS_PRINTED, NKEYWORD_HEADS - 1});
    print_setup_footer(s, plan, 0, 0, 0, foot);
}

/* What the keywords a sheet does not list add up to in a channel: their
 * count and the sheet's summed columns (clicks, cost, conversions,
 * impressions, revenue, monthly searches). */
enum { KW_REST_SUMS = 6 };
typedef struct kw_rest {
    size_t n;
    double sum[KW_REST_SUMS];
} kw_rest;

/* The remainder row of channel c: its keywords past the list, summed, so
 * that each column of the sheet adds up to the channel's totals. */
static void keyword_rest_row(mpi_xlsx_sheet *s, int r, const mpi_report *rep, size_t c,
                             const kw_rest *rest)
{
    const mp_plan *plan = rep->plan;
    char count[32], label[128];
    mpi_fmt_num(book_lang(plan), count, sizeof count, (double)rest->n, 0);
    snprintf(label, sizeof label,
             mpi_trn(book_lang(plan), "%s other keyword", "the other %s keywords",
                     (unsigned long)rest->n),
             count);
    mpi_xlsx_text(s, r, 0, plan->ch[c].name, PLAIN);
    mpi_xlsx_text(s, r, 1, label, BOLD);
    static const mpi_xlsx_style style[KW_REST_SUMS] = {COUNT, MONEY, CONV, COUNT, MONEY, COUNT};
    for (int i = 0; i < KW_REST_SUMS; i++)
        mpi_xlsx_figure(s, r, 4 + i, rest->sum[i], style[i]);
}

/* Under the listed keywords of order (by spend), a blank row, then a row per
 * channel summing its keywords past the list (order[listed..n)): outside
 * the filter's range, so that sorting or filtering the list leaves them
 * where they are. */
static void keywords_rest(mpi_xlsx *x, mpi_xlsx_sheet *s, const mpi_report *rep,
                          const kw_rank *order, size_t listed, size_t n)
{
    size_t nch = rep->plan->nch;
    kw_rest *rest = mpi_calloc(nch ? nch : 1, sizeof *rest);
    if (!rest) {
        mpi_xlsx_fail(x, mpi_nomem());
        return;
    }
    for (size_t i = listed; i < n; i++) {
        const mpi_kw_result *kr;
        const mpi_keyword *kwd = mpi_report_keyword(rep, order[i].k, &kr);
        kw_rest *t = &rest[kr->channel];
        const double v[KW_REST_SUMS] = {kr->clicks,      kr->spend,   kr->conversions,
                                        kr->impressions, kr->revenue, kwd->volume};
        t->n++;
        for (int q = 0; q < KW_REST_SUMS; q++)
            t->sum[q] += v[q];
    }
    int r = (int)listed + 2;
    for (size_t c = 0; c < nch; c++)
        if (rest[c].n)
            keyword_rest_row(s, r++, rep, c, &rest[c]);
    free(rest);
}

static void sheet_keywords(mpi_xlsx *x, const mpi_report *rep)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Keywords"));
    size_t n = mpi_report_keyword_count(rep);
    size_t listed = n < KEYWORDS_LISTED ? n : KEYWORDS_LISTED;
    headings(s, 0, 0, keyword_heads, NKEYWORD_HEADS, TXT(0) | TXT(1) | TXT(2) | TXT(12) | TXT(13),
             rep->plan);
    kw_rank *order = keywords_by_spend(rep, n, listed);
    if (!order) {
        mpi_xlsx_fail(x, mpi_nomem());
        return;
    }
    keywords_print(s, rep->plan, n, listed); /* its note on the heading's row */
    for (size_t i = 0; i < listed; i++)
        keyword_row(s, (int)i + 1, rep, order[i].k);
    /* a filter needs a row under its heading, even an empty one; set before
     * the rows under the list are written (rows stream to disk) */
    int last = listed > 0 ? (int)listed : 1;
    mpi_xlsx_autofilter(s, (mpi_xlsx_range){0, 0, last, NKEYWORD_HEADS - 1});
    if (listed < n)
        keywords_rest(x, s, rep, order, listed, n);
    free(order);
    mpi_xlsx_columns(s, 0, 0, name_width(rep)); /* a channel's name is never cut */
    mpi_xlsx_columns(s, 1, 1, 36);
    mpi_xlsx_columns(s, 3, NKEYWORD_HEADS - 1, 14);
    mpi_xlsx_freeze(s, 1, 0);
}

/* ---- Groups: keyword groups of search channels --------------------------- */

static void group_row(mpi_xlsx_sheet *s, int r, const mp_plan *plan, const mpi_report_group *g)
{
    mpi_xlsx_text(s, r, 0, g->channel, PLAIN);
    mpi_xlsx_text(s, r, 1, *g->name ? g->name : tr(plan, "(no group)"), PLAIN);
    mpi_xlsx_number(s, r, 2, (double)g->keywords, COUNT);
    mpi_xlsx_number(s, r, 3, g->spend, MONEY);
    mpi_xlsx_number(s, r, 4, g->clicks, COUNT);
    mpi_xlsx_number(s, r, 5, g->conversions, CONV);
    mpi_xlsx_number(s, r, 6, g->revenue, MONEY);
    mpi_xlsx_number(s, r, 7, g->cpa, CENTS);
}

static void sheet_groups(mpi_xlsx *x, const mpi_report *rep)
{
    static const heading h[] = {{N_("channel"), NULL},  {N_("group"), NULL},
                                {N_("keywords"), NULL}, {N_("spend"), CUR},
                                {N_("clicks"), NULL},   {N_("conversions"), NULL},
                                {N_("revenue"), CUR},   {N_("CPA"), CUR}};
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Groups"));
    headings(s, 0, 0, h, (int)(sizeof h / sizeof h[0]), TXT(0) | TXT(1), rep->plan);
    for (size_t i = 0; i < rep->ngroups; i++)
        group_row(s, (int)i + 1, rep->plan, &rep->group[i]);
    mpi_xlsx_columns(s, 0, 1, 22);
    mpi_xlsx_columns(s, 2, 7, 14);
    mpi_xlsx_freeze(s, 1, 0);
    print_setup(s, rep->plan, 0, 0, 0);
}

/* ---- Constraints: the view's rows (every row of the LP but reach links) -- */

static mpi_xlsx_style row_style(const mpi_report_row *row)
{
    return expr_style(row->cons ? &row->cons->e : NULL);
}

/* A binding row's range from column col: its ends in the bound's own
 * format (a share or ROAS as a percentage, amounts in currency), then what
 * happens at each; blank where it has none. */
static void range_cells(mpi_xlsx_sheet *s, int r, int col, const mpi_report *rep,
                        const mpi_report_row *row)
{
    const mp_plan *plan = rep->plan;
    mpi_xlsx_style style = row_style(row);
    for (int k = 0; k < 2; k++) {
        char what[160];
        if (row->range_why[k] == MPI_END_NONE && row->range_too_large)
            mpi_xlsx_wrap(s, r, col + 2 + k, tr(plan, "range not computed for a plan this size"));
        if (row->range_why[k] == MPI_END_NONE)
            continue;
        if (!isnan(row->range[k]))
            mpi_xlsx_number(s, r, col + k, style == PCT ? row->range[k] / 100 : row->range[k],
                            style);
        mpi_range_end_text(rep, row, k, book_lang(plan), what, sizeof what);
        mpi_xlsx_wrap(s, r, col + 2 + k,
                      *what                               ? what
                      : row->range_why[k] == MPI_END_OPEN ? tr(plan, "no end found")
                                                          : "");
    }
}

/* The Constraints sheet's columns: the LP's dual, a figure for whoever
 * checks the solver, folded away (the exact shadow price beside it is what
 * a planner reads); the sentences wrapped, their rows as tall as they are. */
#define CONS_DUAL_COL 5
#define CONS_UNIT_COL 7

static void constraint_columns(mpi_xlsx_sheet *s)
{
    mpi_xlsx_columns(s, 0, 0, 14);
    mpi_xlsx_columns(s, 1, 1, 30);
    mpi_xlsx_columns(s, 2, 6, 11);
    mpi_xlsx_columns(s, CONS_UNIT_COL, CONS_UNIT_COL, 22);
    mpi_xlsx_columns(s, 8, 9, 11);
    mpi_xlsx_columns(s, 10, 11, 26);
    mpi_xlsx_hide_columns(s, CONS_DUAL_COL, CONS_DUAL_COL);
}

/* With draws, a constraint on an uncertain outcome's figure in its worst
 * draw and that draw (from 1) beside its expected value (hold.c): the two
 * columns after the ranges, headed when the plan has draws. */
#define CONS_WORST_COL 12

static void constraint_worst(mpi_xlsx_sheet *s, int r, const mpi_report *rep,
                             const mpi_report_row *row)
{
    const mpi_hold_out *h = rep->sol->hold;
    if (r == 0 && h) {
        mpi_xlsx_text(s, 0, CONS_WORST_COL, tr(rep->plan, "value in the worst draw"), NHEAD);
        mpi_xlsx_text(s, 0, CONS_WORST_COL + 1, tr(rep->plan, "worst draw (from 1)"), NHEAD);
        mpi_xlsx_columns(s, CONS_WORST_COL, CONS_WORST_COL + 1, 12);
    }
    if (!row || !h || !row->cons || (size_t)row->ref >= h->ncons || !h->has[row->ref])
        return;
    mpi_xlsx_number(s, r, CONS_WORST_COL, h->worst[row->ref], row_style(row));
    mpi_xlsx_number(s, r, CONS_WORST_COL + 1,
                    (double)mpi_draw_number(rep->sol->plan, h->worst_draw[row->ref]), PLAIN);
}

/* The expression as the plan file writes it, for whoever checks the plan
 * against the sheet, in the column after the last (the worst draw's, with
 * draws). */
static void constraint_as_written(mpi_xlsx_sheet *s, int r, const mpi_report *rep,
                                  const mpi_report_row *row)
{
    int col = CONS_WORST_COL + (rep->sol->hold ? 2 : 0);
    if (r == 0) {
        mpi_xlsx_text(s, 0, col, tr(rep->plan, "expression as the plan writes it"), HEAD);
        mpi_xlsx_columns(s, col, col, 30);
        return;
    }
    char text[MPI_TEXT_MAX];
    mpi_row_as_written(rep, row, book_lang(rep->plan), text, sizeof text);
    mpi_xlsx_text(s, r, col, text, PLAIN);
}

static void sheet_constraints(mpi_xlsx *x, const mpi_report *rep)
{
    static const char *const h[] = {N_("name"),
                                    N_("expression"),
                                    N_("value"),
                                    N_("bound"),
                                    N_("binding"),
                                    N_("dual (objective per unit of the LP row's right-hand side)"),
                                    N_("shadow price (objective per unit of the bound)"),
                                    N_("shadow price unit"),
                                    N_("shadow price holds from (bound's unit)"),
                                    N_("shadow price holds up to (bound's unit)"),
                                    N_("at the lower end"),
                                    N_("at the upper end")};
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(rep->plan, "Constraints"));
    constraint_columns(s);
    for (int k = 0; k < 12; k++) /* the sentences' headings indented as they are */
        mpi_xlsx_text(s, 0, k, tr(rep->plan, h[k]),
                      k < 2                           ? HEAD
                      : k == CONS_UNIT_COL || k >= 10 ? MPI_XLSX_HEAD_WRAP
                                                      : NHEAD);
    if (rep->sol->quant) /* a row's value is the mean over the draws */
        mpi_xlsx_text(s, 0, 2, tr(rep->plan, "value (expected)"), NHEAD);
    constraint_worst(s, 0, rep, NULL);
    constraint_as_written(s, 0, rep, NULL);
    for (size_t i = 0; i < rep->nrows; i++) {
        const mpi_report_row *row = &rep->row[i];
        char unit[160], reading[MPI_TEXT_MAX];
        int r = (int)i + 1;
        mpi_xlsx_text(s, r, 0, row->name, PLAIN);
        mpi_row_reading(rep, row, book_lang(rep->plan), reading, sizeof reading);
        mpi_xlsx_text(s, r, 1, reading, PLAIN);
        mpi_xlsx_number(s, r, 2, row->value, row_style(row));
        mpi_xlsx_number(s, r, 3, row->bound, row_style(row));
        /* apart from the bound on its left */
        mpi_xlsx_text(s, r, 4, yes_no(rep->plan, row->binding), MPI_XLSX_RIGHT);
        mpi_xlsx_number(s, r, CONS_DUAL_COL, row->dual, EXACT); /* as many digits as it needs */
        mpi_xlsx_number(s, r, 6, row->shadow, EXACT);
        mpi_shadow_unit_in(rep, row, book_lang(rep->plan), unit, sizeof unit);
        mpi_xlsx_wrap(s, r, CONS_UNIT_COL, unit);
        range_cells(s, r, 8, rep, row);
        constraint_worst(s, r, rep, row);
        constraint_as_written(s, r, rep, row);
    }
    if (rep->solved && rep->sol->booked) /* what "binding" means without prices */
        mpi_xlsx_note(s, (int)rep->nrows + 2, 0, tr(rep->plan, MPI_BOOKED_BINDING), PLAIN);
    mpi_xlsx_freeze(s, 1, 1);
    print_setup(s, rep->plan, 0, 0, 0);
}

/* ---- Assumptions: the inputs, datasets, prices and model notes ----------- */

/* Every key of the plan file from row 1; returns the row after them. */
static int assumptions_inputs(mpi_xlsx_sheet *s, const mp_plan *plan)
{
    static const char *const h[] = {N_("section"), N_("key"), N_("value"), N_("source file"),
                                    N_("line")};
    text_heads(s, 0, h, 5, TXT(0) | TXT(1) | TXT(2) | TXT(3), plan); /* values as written */
    int r = 1;
    for (size_t i = 0; i < plan->nkv; i++, r++) {
        mpi_xlsx_text(s, r, 0, plan->kv[i].section, PLAIN);
        mpi_xlsx_text(s, r, 1, plan->kv[i].key, PLAIN);
        mpi_xlsx_text(s, r, 2, plan->kv[i].value, PLAIN);
        mpi_xlsx_text(s, r, 3, plan->path, PLAIN);
        mpi_xlsx_number(s, r, 4, plan->kv[i].line, PLAIN);
    }
    return r;
}

/* One line "channel, what, value, source" from row r; returns the next row. */
static int dataset_line(mpi_xlsx_sheet *s, int r, const mpi_channel *ch, const char *what,
                        const char *value, const char *source)
{
    mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
    mpi_xlsx_text(s, r, 1, what, PLAIN); /* in the workbook's language */
    if (value)
        mpi_xlsx_text(s, r, 2, value, PLAIN);
    /* a source with its comment is a sentence: wrapped, not a column as wide as it */
    mpi_xlsx_wrap(s, r, 3, source);
    return r + 1;
}

/* The datasets each channel read, from row r; returns the row after them. */
static int assumptions_datasets(mpi_xlsx_sheet *s, const mp_plan *plan, int r)
{
    mpi_lang lang = book_lang(plan);
    mpi_xlsx_keep_together(s, r, 2); /* the title with its first line */
    mpi_xlsx_text(s, r++, 0, tr(plan, "Datasets"), BOLD);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        char line[256], num[64];
        if (ch->ops->keyword_source) {
            ch->ops->keyword_tally(ch->params, lang, line, sizeof line);
            r = dataset_line(s, r, ch, tr(plan, "keywords"), line,
                             ch->ops->keyword_source(ch->params));
        }
        if (ch->resp.source)
            r = dataset_line(s, r, ch, tr(plan, "response points"), NULL, ch->resp.source);
        if (ch->resp.draws_path) /* uncertain curves (models/draws.c) */
            r = dataset_line(s, r, ch, tr(plan, "response curve draws"), NULL, ch->resp.draws_path);
        snprintf(num, sizeof num, "%g", ch->co2_per_unit);
        if (lang == MPI_LANG_FR)
            for (char *p = num; *p; p++)
                *p = *p == '.' ? ',' : *p;
        snprintf(line, sizeof line, tr(plan, "%s kg per %s"), num, tr(plan, ch->ops->co2_unit));
        r = dataset_line(s, r, ch, tr(plan, "CO2e factor"), line,
                         ch->co2_source ? ch->co2_source : tr(plan, "none given (0)"));
    }
    return r;
}

/* A channel's unit cost in each period, from row r; returns the next row. */
static int channel_prices(mpi_xlsx_sheet *s, const mp_plan *plan, const mpi_channel *ch, int r)
{
    double base = ch->ops->unit_cost(ch->params);
    char what[96];
    snprintf(what, sizeof what, "%s (%s)", tr(plan, ch->ops->cost_name), plan->currency);
    for (int t = 0; t < plan->periods; t++, r++) {
        double idx = ch->ops->cost_index(ch->params, &plan->mctx, ch, -1, t, ch->inflation);
        mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
        mpi_xlsx_text(s, r, 1, what, PLAIN);
        mpi_xlsx_number(s, r, 2, ch->inflation, PCT);
        mpi_xlsx_date(s, r, 3, plan->period_start[t], DATE);
        mpi_xlsx_number(s, r, 4, idx, DEC);
        mpi_xlsx_number(s, r, 5, base * idx, CENTS);
    }
    return r;
}

static int assumptions_prices(mpi_xlsx_sheet *s, const mp_plan *plan, int r)
{
    static const char *const h[] = {N_("channel"),     N_("unit cost"),
                                    N_("yearly rate"), N_("period"),
                                    N_("price index"), N_("unit cost in the period")};
    /* the title, the heading and the first channel's prices: not one row
     * at the foot of a page */
    mpi_xlsx_keep_together(s, r, 2 + plan->periods);
    mpi_xlsx_note(s, r++, 0, tr(plan, "Prices by period (inflation applied)"), BOLD);
    text_heads(s, r++, h, 6, TXT(0) | TXT(1), plan);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (ch->ops->cost_index && ch->ops->unit_cost)
            r = channel_prices(s, plan, ch, r);
    }
    return r;
}

/* Uncertain curves: what the plan is optimised on and what its figures are. */
static int assumptions_draws_note(mpi_xlsx_sheet *s, const mp_plan *plan, const mpi_quantiles *qs,
                                  int r)
{
    if (!qs)
        return r;
    char basis[MPI_TEXT_MAX], buf[MPI_TEXT_MAX];
    mpi_draws_basis_text(book_lang(plan), plan, qs, basis, sizeof basis);
    snprintf(buf, sizeof buf,
             plan->risk == MPI_RISK_MEAN
                 ? tr(plan, "Uncertain curves: the plan is chosen on the expected outcome, the "
                            "mean over %s; the objective, the KPI figures and the constraints are "
                            "expected figures, and the Summary gives their spread (P10, P50, "
                            "P90).")
                 : tr(plan, "Uncertain curves: the plan is chosen for the bad draws (risk); its "
                            "objective, KPI figures and constraints are expected figures, the "
                            "mean over %s, and the Summary gives their spread (P10, P50, P90)."),
             basis);
    mpi_xlsx_note(s, r++, 0, buf, PLAIN);
    return r;
}

static int assumptions_notes(mpi_xlsx_sheet *s, const mp_plan *plan, const mpi_quantiles *quant,
                             int r)
{
    static const char *const notes[] = {
        N_("Search: competing bids log-normal through the Keyword Planner's top-of-page bids "
           "(20th and 80th percentiles), second-price auction."),
        N_("Prices: a channel's costs scale by (1 + yearly rate)^years from its price "
           "date (search: the export's date range) to the middle of each period; for "
           "search the index shown is the lowest of the channel's keywords."),
        N_("A search bid ceiling (max_cpc) is an amount of money and does not inflate: as "
           "competing bids rise it wins fewer auctions."),
        N_("The plan's reach is de-duplicated across channels under random duplication: "
           "universe x (1 - product of (1 - channel reach / universe)).")};
    mpi_xlsx_keep_together(s, r, 6); /* the notes are read together */
    mpi_xlsx_note(s, r++, 0, tr(plan, "Model notes"), BOLD);
    char buf[512], pct[32];
    mpi_fmt_pct(book_lang(plan), pct, sizeof pct, plan->precision * 100);
    snprintf(buf, sizeof buf,
             tr(plan, "Response curves are piecewise linear with adaptive breakpoints; maximum "
                      "error %s of each curve's range."),
             pct);
    mpi_xlsx_note(s, r++, 0, buf, PLAIN);
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        mpi_xlsx_note(s, r++, 0, tr(plan, notes[i]), PLAIN);
    return assumptions_draws_note(s, plan, quant, r);
}

static void sheet_assumptions(mpi_xlsx *x, const mpi_report *rep)
{
    const mp_plan *plan = rep->plan;
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, tr(plan, "Assumptions"));
    /* the widths first: a dataset's source wraps in its column; the sheet
     * prints in pages cut between its blocks, each under its title */
    mpi_xlsx_columns(s, 0, 1, 24);
    mpi_xlsx_columns(s, 2, 2, 32);
    mpi_xlsx_columns(s, 3, 3, 40);
    mpi_xlsx_keep_together(s, 0, 2);
    int r = assumptions_inputs(s, plan);
    r = assumptions_datasets(s, plan, r + 1);
    r = assumptions_prices(s, plan, r + 1);
    r = assumptions_notes(s, plan, rep->sol->quant, r + 1);
    const mpi_strlist *sw = &rep->sol->diag.warn;
    if (plan->diag.warn.n || sw->n) {
        r++;
        mpi_xlsx_keep_together(s, r, 2);
        mpi_xlsx_note(s, r++, 0, tr(plan, "Warnings"), BOLD);
        for (size_t i = 0; i < plan->diag.warn.n; i++) /* in the workbook's language */
            mpi_xlsx_note(s, r++, 0, mpi_strlist_text(&plan->diag.warn, i, book_lang(plan)), PLAIN);
        for (size_t i = 0; i < sw->n; i++)
            mpi_xlsx_note(s, r++, 0, mpi_strlist_text(sw, i, book_lang(plan)), PLAIN);
    }
    mpi_xlsx_freeze(s, 1, 0);
    print_setup(s, plan, -1, -1, 0);
}

/* ---- Scenarios: one row a scenario, then charts against the first axis -- */

/* The run, its view, and where the table's columns start; scenario i is on
 * row head + 1 + i. Media columns are every family of the view (digital and
 * offline included); the charts stack the registry's families alone. */
typedef struct scen_sheet {
    const mp_whatif *w;
    const mpi_whatif_report *view;
    const mpi_report *base; /* the plan as written: labels and media families */
    mpi_xlsx_sheet *s;
    int head;
    int status, objective, change, cpa, band, kpi, eff, spend, share, spend_change, media, marginal,
        unspent, stopped_by, draws_note, fan, explain;
    int ndraws_note; /* a column of notes on the draws (scen_draws_noted; 1, else 0) */
    int nband;       /* a plan with draws: P10, P50 and P90 of each scenario over them (else 0) */
    int nrisk;       /* risk = cvar or worst: its measure beside P90 (1, else 0) */
    int nfan;        /* a fan chart's figures, folded away (scen_fan_columns; else 0) */
    int folded;      /* columns folded away: each channel's spend and share */
    int units;       /* a booked sweep: from here, the whole spots or insertions of each */
    int nunits;      /* channel bought so (mpi_whatif_in_units), over the plan's periods */
    char title[192]; /* "What-if: 7 scenarios against the plan as written" */
} scen_sheet;

/* Rows the charts take from row 1, side by side (288 pixels high at 20 a row),
 * and each one's width at most: the two fill the first printed page's width
 * (scen_chart_px). A column of the table is 10 characters, 75 pixels. */
#define SCEN_CHART_ROWS 15
#define SCEN_CHART_PX   600
#define SCEN_COL_PX     75

/* Whether a scenario of w may have notes on its draws (mpi_scen_draws_notes):
 * a plan chosen for the bad draws, or holding a constraint in every draw. */
static int scen_draws_noted(const mp_whatif *w)
{
    int any = mpi_whatif_quant(w) && w->plan->risk != MPI_RISK_MEAN;
    for (size_t i = 0; mpi_whatif_quant(w) && i < w->plan->ncons; i++)
        any |= mpi_cons_must_hold(w->plan, i);
    return any;
}

static void scen_columns(scen_sheet *S)
{
    int nch = (int)S->view->nch;
    S->head = SCEN_CHART_ROWS + 2; /* the charts above the table */
    S->status = (int)S->w->nax;
    S->objective = S->status + 1;
    S->change = S->objective + 1;
    S->cpa = S->change + 1; /* and ROAS after it */
    S->band = S->cpa + 2;
    const mpi_quantiles *qs = mpi_whatif_quant(S->w);
    /* P10, P50, P90, the plan's risk measure, and a min plan's share of the
     * draws meeting its target */
    S->nrisk = qs && S->w->plan->risk != MPI_RISK_MEAN;
    S->nband = qs ? 3 + S->nrisk + (qs->target >= 0) : 0;
    S->kpi = S->band + S->nband;
    S->eff = S->kpi + MPI_NKPI; /* the plan's effective reach beside its reach */
    S->spend = S->eff + (S->w->plan->eff_freq > 0);
    S->share = S->spend + nch;
    S->spend_change = S->share + nch;
    S->units = S->spend_change + nch;
    S->nunits = 0;
    for (size_t c = 0; c < S->view->nch; c++)
        S->nunits += mpi_whatif_in_units(S->w, c);
    S->media = S->units + S->nunits;
    S->marginal = S->media + (int)S->view->nmedia;
    S->unspent = S->marginal + 1;
    S->stopped_by = S->unspent + 1;
    S->draws_note = S->stopped_by + 1;
    S->ndraws_note = scen_draws_noted(S->w);
    S->fan = S->draws_note + S->ndraws_note;
    /* one axis whose objective the draws' quantiles are of: its fan */
    S->nfan = S->w->nax == 1 && qs && qs->q == S->w->plan->obj_kpi ? 3 + S->nrisk : 0;
    S->explain = S->fan + S->nfan;
    S->folded = 2 * nch;
}

/* Per channel from col, the heading "label NAME tail". */
static void channel_heads_as(const scen_sheet *S, int col, const char *label, const char *tail)
{
    for (size_t c = 0; c < S->base->nch; c++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s %s%s", tr(S->w->plan, label), S->base->ch[c].name, tail);
        mpi_xlsx_text(S->s, S->head, col + (int)c, buf, NHEAD);
    }
}

/* A min plan's marginal column: the cost of one more unit of the binding
 * target, of the first scenario that has one ("GBP per conversion more"). */
static void min_marginal_head(const mp_whatif *w, char *buf, size_t n)
{
    int q = -1;
    for (size_t i = 0; q < 0 && i < w->ns; i++)
        q = w->s[i].marginal_kpi;
    char unit[96];
    mpi_marginal_cost_unit_in(book_lang(w->plan), w->plan, q, unit, sizeof unit);
    snprintf(buf, n, tr(w->plan, "marginal cost (%s)"), unit);
}

/* The P10, P50 and P90 of each scenario over the draws (uncertain.c). */
static const char *const scen_band_names[] = {N_("P10"), N_("P50 (median)"), N_("P90")};

/* risk = cvar or worst: the measure the plan is chosen for, beside P90
 * ("CVaR 10 % of conversions (mean of the worst 10 % of the draws)"). */
static void scen_risk_head(const scen_sheet *S)
{
    const mp_plan *plan = S->w->plan;
    const char *kpi = tr(plan, kpi_heads[mpi_whatif_quant(S->w)->q].label);
    char buf[256], level[32];
    double pct = 100 * plan->risk_level;
    mpi_fmt_num(book_lang(plan), level, sizeof level, pct, pct == floor(pct) ? 0 : 1);
    if (plan->risk == MPI_RISK_CVAR)
        snprintf(buf, sizeof buf,
                 tr(plan, "CVaR %s %% of %s (mean of the worst %s %% of the draws)"), level, kpi,
                 level);
    else
        snprintf(buf, sizeof buf, tr(plan, "%s in the worst draw"), kpi);
    mpi_xlsx_text(S->s, S->head, S->band + 3, buf, NHEAD);
}

/* The measure's name in the chart's legend: "CVaR 10 %", or "worst draw". */
static void scen_risk_legend(const mp_plan *plan, char *buf, size_t n)
{
    char level[32];
    double pct = 100 * plan->risk_level;
    mpi_fmt_num(book_lang(plan), level, sizeof level, pct, pct == floor(pct) ? 0 : 1);
    if (plan->risk == MPI_RISK_CVAR)
        snprintf(buf, n, tr(plan, "CVaR %s %%"), level);
    else
        snprintf(buf, n, "%s", tr(plan, "worst draw"));
}

/* The fan's layer k in its legend and its folded column's heading. */
static void scen_fan_name(const scen_sheet *S, int k, char *buf, size_t n)
{
    const mp_plan *plan = S->w->plan;
    char risk[64];
    scen_risk_legend(plan, risk, sizeof risk);
    int layer = k + (k && !S->nrisk); /* 0 the floor, 1 the measure to P10, 2, 3 */
    if (layer == 0)
        snprintf(buf, n, "%s", S->nrisk ? risk : tr(plan, "P10"));
    else if (layer == 1)
        snprintf(buf, n, tr(plan, "%s to P10"), risk);
    else
        snprintf(buf, n, "%s",
                 tr(plan, layer == 2 ? N_("P10 to P50 (median)") : N_("P50 (median) to P90")));
}

static void scen_band_heads(const scen_sheet *S)
{
    const mp_plan *plan = S->w->plan;
    char buf[192];
    for (int k = 0; k < S->nband && k < 3; k++) {
        snprintf(buf, sizeof buf, tr(plan, "%s of %s over the draws"), tr(plan, scen_band_names[k]),
                 tr(plan, kpi_heads[mpi_whatif_quant(S->w)->q].label));
        mpi_xlsx_text(S->s, S->head, S->band + k, buf, NHEAD);
    }
    if (S->nrisk)
        scen_risk_head(S);
    if (S->nband > 3 + S->nrisk)
        mpi_xlsx_text(S->s, S->head, S->band + 3 + S->nrisk,
                      tr(plan, "share of the draws meeting the target"), NHEAD);
    for (int k = 0; k < S->nfan; k++) {
        char name[64];
        scen_fan_name(S, k, name, sizeof name);
        mpi_xlsx_text(S->s, S->head, S->fan + k, name, NHEAD);
    }
}

static void scen_band_row(const scen_sheet *S, int r, const mpi_quantiles *qs)
{
    if (!qs)
        return;
    const double v[3] = {qs->obj.p10, qs->obj.p50, qs->obj.p90};
    for (int k = 0; k < S->nband && k < 3; k++)
        mpi_xlsx_number(S->s, r, S->band + k, v[k], kpi_style(qs->q));
    if (S->nrisk && !isnan(qs->risk))
        mpi_xlsx_number(S->s, r, S->band + 3, qs->risk, kpi_style(qs->q));
    if (S->nband > 3 + S->nrisk)
        mpi_xlsx_number(S->s, r, S->band + 3 + S->nrisk, qs->met, PCT);
    /* the fan's layers from the bottom: its floor, (the measure to P10,)
     * P10 to P50, P50 to P90 */
    const double fan[4] = {S->nrisk ? qs->risk : qs->obj.p10, qs->obj.p10 - qs->risk,
                           qs->obj.p50 - qs->obj.p10, qs->obj.p90 - qs->obj.p50};
    for (int k = 0; k < S->nfan; k++)
        mpi_xlsx_number(S->s, r, S->fan + k, fan[k + (k && !S->nrisk)], kpi_style(qs->q));
}

/* What a scenario's money buys: its CPA and ROAS (whatif_view.c). */
static void scen_buys_heads(const scen_sheet *S)
{
    const mp_plan *plan = S->w->plan;
    char buf[96];
    unit_head(buf, sizeof buf, tr(plan, "CPA"), plan->currency);
    mpi_xlsx_text(S->s, S->head, S->cpa, buf, NHEAD);
    mpi_xlsx_text(S->s, S->head, S->cpa + 1, tr(plan, "ROAS"), NHEAD);
}

static void scen_buys_row(const scen_sheet *S, int r, const mpi_report_scenario *o)
{
    mpi_xlsx_number(S->s, r, S->cpa, o->cpa, CENTS);
    mpi_xlsx_number(S->s, r, S->cpa + 1, o->roas, PCT); /* 1.44 shows 144 % */
}

static void scen_heads(const scen_sheet *S)
{
    const mp_plan *plan = S->w->plan;
    const char *cur = plan->currency, *kpi = S->base->obj.kpi;
    char buf[192], in_cur[32], against[96];
    int r = S->head;
    for (size_t a = 0; a < S->w->nax; a++) {
        const mpi_axis *ax = &S->w->ax[a];
        snprintf(buf, sizeof buf, "%s%s", ax->label, ax->pct ? " (%)" : "");
        mpi_xlsx_text(S->s, r, (int)a, buf, NHEAD);
    }
    mpi_xlsx_text(S->s, r, S->status, tr(plan, "status"), HEAD);
    kpi = tr(plan, kpi);
    unit_head(buf, sizeof buf, tr(plan, objective_label(plan)), tr(plan, S->base->obj.unit));
    mpi_xlsx_text(S->s, r, S->objective, buf, NHEAD);
    snprintf(buf, sizeof buf, tr(plan, "change of %s against the plan"), kpi);
    mpi_xlsx_text(S->s, r, S->change, buf, NHEAD);
    scen_buys_heads(S);
    scen_band_heads(S);
    for (int q = 0; q < MPI_NKPI; q++) {
        kpi_head(buf, sizeof buf, plan, q);
        mpi_xlsx_text(S->s, r, S->kpi + q, buf, NHEAD);
    }
    if (S->spend > S->eff) {
        char label[128];
        snprintf(label, sizeof label, tr(plan, "effective reach (%d+ exposures)"), plan->eff_freq);
        unit_head(buf, sizeof buf, label, tr(plan, "people"));
        mpi_xlsx_text(S->s, r, S->eff, buf, NHEAD);
    }
    snprintf(in_cur, sizeof in_cur, " (%s)", cur);
    channel_heads_as(S, S->spend, N_("spend"), in_cur);
    channel_heads_as(S, S->share, N_("share"), "");
    snprintf(against, sizeof against, tr(plan, " against the plan (%s)"), cur);
    channel_heads_as(S, S->spend_change, N_("change of spend"), against);
    for (size_t c = 0, k = 0; c < S->view->nch; c++)
        if (mpi_whatif_in_units(S->w, c)) {
            const mpi_channel *ch = &plan->ch[c];
            snprintf(buf, sizeof buf, "%s %s",
                     mpi_channel_press(ch) ? tr(plan, "insertions") : tr(plan, "spots"), ch->name);
            mpi_xlsx_text(S->s, r, S->units + (int)k++, buf, NHEAD);
        }
    for (size_t m = 0; m < S->view->nmedia; m++) {
        snprintf(buf, sizeof buf, tr(plan, "share %s"), media_label(plan, S->base->media[m].name));
        mpi_xlsx_text(S->s, r, S->media + (int)m, buf, NHEAD);
    }
    if (plan->obj_sense < 0)
        min_marginal_head(S->w, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, tr(plan, "marginal return (%s per k%s of budget)"), kpi, cur);
    mpi_xlsx_text(S->s, r, S->marginal, buf, NHEAD);
    snprintf(buf, sizeof buf, tr(plan, "unspent (%s)"), cur);
    mpi_xlsx_text(S->s, r, S->unspent, buf, NHEAD);
    mpi_xlsx_text(S->s, r, S->stopped_by, tr(plan, "budget stopped by"), HEAD);
    if (S->ndraws_note)
        mpi_xlsx_text(S->s, r, S->draws_note, tr(plan, "notes on the draws"), HEAD);
    mpi_xlsx_text(S->s, r, S->explain, tr(plan, "explanation"), HEAD);
}

/* How an axis's values show: rates in %, a budget in whole money, a unit
 * cost with cents, a constraint's bound as the Constraints sheet shows it. */
static mpi_xlsx_style axis_style(const mp_plan *plan, const mpi_axis *ax)
{
    if (ax->pct)
        return PCT;
    if (ax->kind == MPI_AX_BUDGET)
        return MONEY;
    if (ax->kind == MPI_AX_COST)
        return CENTS;
    if (ax->kind == MPI_AX_CONSTRAINT && ax->cons >= 0 && (size_t)ax->cons < plan->ncons)
        return expr_style(&plan->cons[ax->cons].e);
    return DEC;
}

/* Value i of an axis, in its style. */
static void axis_value(const scen_sheet *S, int r, int col, const mpi_axis *ax, size_t i)
{
    mpi_xlsx_number(S->s, r, col, ax->values[i], axis_style(S->w->plan, ax));
}

/* A booked scenario's whole spots or insertions of each channel bought so, over the periods. */
static void scen_units(const scen_sheet *S, int r, const mpi_scen *sc)
{
    for (size_t c = 0, k = 0; sc->book_units && c < S->view->nch; c++)
        if (mpi_whatif_in_units(S->w, c))
            mpi_xlsx_number(S->s, r, S->units + (int)k++, mpi_scen_units(S->w, sc, c), COUNT);
}

/* Spend, share and change of spend per channel, and share per media family. */
static void scen_spends(const scen_sheet *S, int r, const mpi_report_scenario *o)
{
    for (size_t c = 0; c < S->view->nch; c++) {
        int k = (int)c;
        mpi_xlsx_number(S->s, r, S->spend + k, o->s->spend[c], MONEY);
        mpi_xlsx_number(S->s, r, S->share + k, o->share[c], PCT);
        mpi_xlsx_number(S->s, r, S->spend_change + k, o->delta_spend[c], MONEY);
    }
    for (size_t m = 0; m < S->view->nmedia; m++)
        mpi_xlsx_number(S->s, r, S->media + (int)m, o->media_share[m], PCT);
    scen_units(S, r, o->s);
}

static void scen_row(const scen_sheet *S, size_t i)
{
    const mpi_report_scenario *o = &S->view->scen[i];
    const mpi_scen *sc = o->s;
    int r = S->head + 1 + (int)i;
    for (size_t a = 0; a < S->w->nax; a++)
        axis_value(S, r, (int)a, &S->w->ax[a], sc->idx[a]);
    mpi_xlsx_text(S->s, r, S->status, tr(S->w->plan, o->status), PLAIN);
    if (!o->solved) {
        mpi_xlsx_note(S->s, r, S->explain, sc->explain, PLAIN);
        return;
    }
    mpi_xlsx_style obj = kpi_style(S->w->plan->obj_kpi);
    mpi_xlsx_number(S->s, r, S->objective, sc->objective, obj);
    mpi_xlsx_number(S->s, r, S->change, o->delta_objective, obj);
    scen_buys_row(S, r, o);
    scen_band_row(S, r, sc->quant);
    for (int q = 0; q < MPI_NKPI; q++)
        mpi_xlsx_number(S->s, r, S->kpi + q, sc->kpi[q], kpi_style(q));
    if (S->spend > S->eff)
        mpi_xlsx_number(S->s, r, S->eff, sc->eff_reach, COUNT);
    scen_spends(S, r, o);
    mpi_xlsx_number(S->s, r, S->marginal, sc->marginal * (S->w->plan->obj_sense < 0 ? 1 : 1000),
                    DEC);
    mpi_xlsx_number(S->s, r, S->unspent, sc->unspent, MONEY);
    if (sc->stopped_by)
        mpi_xlsx_text(S->s, r, S->stopped_by, sc->stopped_words[book_lang(S->w->plan)], PLAIN);
    char note[MPI_TEXT_MAX] = "";
    if (S->ndraws_note)
        mpi_scen_draws_notes(book_lang(S->w->plan), S->w, sc, 0, note, sizeof note);
    if (*note)
        mpi_xlsx_text(S->s, r, S->draws_note, note, PLAIN);
}

/* One axis of a plan with draws: the objective's fan over the table's rows
 * (scen_fan_name's layers), on an axis from a round figure below its floor. */
static void scen_fan_series(const scen_sheet *S, mpi_xlsx_chart *fan)
{
    int first = S->head + 1, last = S->head + (int)S->view->n;
    mpi_xlsx_range cats = {first, 0, last, 0};
    for (int k = 0; k < S->nfan; k++) {
        char name[64];
        scen_fan_name(S, k, name, sizeof name);
        mpi_xlsx_series(fan, S->s, cats, (mpi_xlsx_range){first, S->fan + k, last, S->fan + k},
                        name);
        int layer = k + (k && !S->nrisk);
        if (k)
            mpi_xlsx_series_band(fan, layer == 1 ? 2 : layer - 2);
        else
            mpi_xlsx_series_floor(fan);
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < S->view->n; i++) {
        const mpi_quantiles *qs = S->view->scen[i].solved ? S->view->scen[i].s->quant : NULL;
        if (qs) {
            lo = fmin(lo, S->nrisk && !isnan(qs->risk) ? qs->risk : qs->obj.p10);
            hi = fmax(hi, qs->obj.p90);
        }
    }
    mpi_xlsx_chart_values_from(fan, band_axis_min(lo, hi));
}

/* One axis: the objective (its fan with draws) and the media shares of the
 * table, row by row. */
static void scen_series_one_axis(const scen_sheet *S, mpi_xlsx_chart *line, mpi_xlsx_chart *stack)
{
    int first = S->head + 1, last = S->head + (int)S->view->n;
    mpi_xlsx_range cats = {first, 0, last, 0};
    const mp_plan *plan = S->w->plan;
    if (S->nfan)
        scen_fan_series(S, line);
    else
        mpi_xlsx_series(line, S->s, cats, (mpi_xlsx_range){first, S->objective, last, S->objective},
                        tr(plan, S->base->obj.kpi));
    for (size_t m = 0; m < S->base->nfamilies; m++) {
        int col = S->media + (int)m;
        if (!S->base->media[m].present)
            continue; /* the legend lists the plan's media only */
        mpi_xlsx_series(stack, S->s, cats, (mpi_xlsx_range){first, col, last, col},
                        media_label(plan, S->base->media[m].name));
        mpi_xlsx_series_colour(stack, family_colour(S->base, m));
    }
}

/* Two axes: the objective as a table, axis 1 down and axis 2 across, from row
 * r (its title above), with a heat-map colour scale and one line a value of
 * axis 2. Returns the table's last row. */
static int scen_pivot(const scen_sheet *S, int r, mpi_xlsx_chart *line)
{
    const mpi_axis *a0 = &S->w->ax[0], *a1 = &S->w->ax[1];
    const mp_plan *plan = S->w->plan;
    char buf[192];
    snprintf(buf, sizeof buf, tr(plan, "%s by %s (rows) and %s (columns)"),
             tr(plan, S->base->obj.kpi), a0->label, a1->label);
    mpi_xlsx_text(S->s, r - 1, 0, buf, BOLD);
    mpi_xlsx_text(S->s, r, 0, a0->label, NHEAD);
    for (size_t j = 0; j < a1->n; j++)
        axis_value(S, r, 1 + (int)j, a1, j);
    for (size_t i = 0; i < a0->n; i++) {
        int ri = r + 1 + (int)i;
        axis_value(S, ri, 0, a0, i);
        for (size_t j = 0; j < a1->n; j++) {
            const mpi_report_scenario *o = &S->view->scen[i * a1->n + j];
            if (o->solved)
                mpi_xlsx_number(S->s, ri, 1 + (int)j, o->s->objective,
                                kpi_style(S->w->plan->obj_kpi));
            else
                mpi_xlsx_text(S->s, ri, 1 + (int)j, tr(plan, o->status), PLAIN);
        }
    }
    int last = r + (int)a0->n;
    mpi_xlsx_color_scale(S->s, (mpi_xlsx_range){r + 1, 1, last, (int)a1->n});
    mpi_xlsx_range cats = {r + 1, 0, last, 0};
    /* a chart reads at most 32 lines */
    for (size_t j = 0; j < a1->n && j < 32; j++) {
        int col = 1 + (int)j;
        mpi_xlsx_series_named_by(line, S->s, cats, (mpi_xlsx_range){r + 1, col, last, col}, r, col);
    }
    return last;
}

/* Two axes: the media shares along axis 1 at the first value of axis 2, from
 * row r (its title above), and their stacked series. */
static int scen_media_along(const scen_sheet *S, int r, mpi_xlsx_chart *stack)
{
    const mpi_axis *a0 = &S->w->ax[0];
    size_t nfam = S->base->nfamilies;
    const mp_plan *plan = S->w->plan;
    char buf[192];
    snprintf(buf, sizeof buf, tr(plan, "share of spend by media along %s (%s at its first value)"),
             a0->label, S->w->ax[1].label);
    mpi_xlsx_text(S->s, r - 1, 0, buf, BOLD);
    mpi_xlsx_text(S->s, r, 0, a0->label, NHEAD);
    for (size_t m = 0; m < nfam; m++)
        mpi_xlsx_text(S->s, r, 1 + (int)m, media_label(plan, S->base->media[m].name), NHEAD);
    for (size_t i = 0; i < a0->n; i++) {
        const mpi_report_scenario *o = &S->view->scen[i * S->w->ax[1].n];
        axis_value(S, r + 1 + (int)i, 0, a0, i);
        for (size_t m = 0; m < nfam && o->solved; m++)
            mpi_xlsx_number(S->s, r + 1 + (int)i, 1 + (int)m, o->media_share[m], PCT);
    }
    int last = r + (int)a0->n;
    mpi_xlsx_range cats = {r + 1, 0, last, 0};
    for (size_t m = 0; m < nfam; m++) {
        int col = 1 + (int)m;
        if (!S->base->media[m].present)
            continue; /* the legend lists the plan's media only */
        mpi_xlsx_series(stack, S->s, cats, (mpi_xlsx_range){r + 1, col, last, col},
                        media_label(plan, S->base->media[m].name));
        mpi_xlsx_series_colour(stack, family_colour(S->base, m));
    }
    return last;
}

/* The charts, and the last row of the tables they read. */
/* Columns of the table on a printed page besides the repeated ones: about
 * 12 characters each at a scale of 60 % or more on A4 landscape. */
#define SCEN_COLS_PER_PAGE 16

/* The table's printed columns besides the repeated ones (the axes and the
 * status), and the pages wide they are printed on. */
static int scen_rest(const scen_sheet *S)
{
    return S->explain - S->status - S->folded - S->nfan;
}

static int scen_pages_wide(const scen_sheet *S)
{
    return (scen_rest(S) + SCEN_COLS_PER_PAGE - 1) / SCEN_COLS_PER_PAGE;
}

/* Each chart's width: the print fits the table to scen_pages_wide pages,
 * each repeating the axes and the status, so a page holds that share of the
 * columns; the two charts stand right of the repeated ones on the first. */
static int scen_chart_px(const scen_sheet *S)
{
    int repeat = S->status + 1, pages = scen_pages_wide(S);
    double per_page = (double)(scen_rest(S) + pages * repeat) / pages;
    int px = (int)((per_page - repeat) * SCEN_COL_PX - 10) / 2;
    return px < SCEN_CHART_PX ? (px > 240 ? px : 240) : SCEN_CHART_PX;
}

static int scen_charts(mpi_xlsx *x, const scen_sheet *S)
{
    const char *first_axis = S->w->ax[0].label;
    mpi_xlsx_chart *line = mpi_xlsx_chart_add(x, S->nfan ? MPI_XLSX_STACKED_AREA : MPI_XLSX_LINE);
    mpi_xlsx_chart *stack = mpi_xlsx_chart_add(x, MPI_XLSX_STACKED_PCT);
    int last = S->head + (int)S->view->n;
    if (S->w->nax == 1) {
        scen_series_one_axis(S, line, stack);
    } else {
        last = scen_pivot(S, last + 3, line);
        last = scen_media_along(S, last + 3, stack);
    }
    const mp_plan *plan = S->w->plan;
    char buf[192];
    snprintf(buf, sizeof buf,
             tr(plan, S->nfan ? N_("%s over the draws against %s") : N_("%s against %s")),
             tr(plan, S->base->obj.kpi), first_axis);
    mpi_xlsx_chart_titles(line, buf, first_axis, tr(plan, S->base->obj.unit));
    snprintf(buf, sizeof buf, tr(plan, "share of spend by media against %s"), first_axis);
    mpi_xlsx_chart_titles(stack, buf, NULL, NULL);
    /* the axes show what the table's cells show */
    mpi_xlsx_style along = axis_style(S->w->plan, &S->w->ax[0]);
    mpi_xlsx_chart_axis_styles(line, along, kpi_style(S->w->plan->obj_kpi));
    mpi_xlsx_chart_axis_styles(stack, along, PCT);
    /* right of the columns every printed page repeats, on the first page */
    int col = S->status + 1, px = scen_chart_px(S);
    mpi_xlsx_chart_place(S->s, 1, col, line, 0, px, 0);
    mpi_xlsx_chart_place(S->s, 1, col, stack, px + 10, px, 0);
    return last;
}

/* A booked plan's sweep says, under the tables from row r, that each
 * scenario is booked, as the terminal does; returns the row after. */
static int scen_booked(const scen_sheet *S, int r)
{
    if (!S->w->base->booked)
        return r;
    mpi_xlsx_note(S->s, r, 0,
                  tr(S->w->plan, "each scenario booked as the plan says (flights, whole spots and "
                                 "insertions): the best plan that can be booked, found by a search "
                                 "over the bookings"),
                  PLAIN);
    return r + 2;
}

/* Under the tables of a one-axis run, from row r, what it means for the
 * money from its first scenario to its last, as the terminal says it under
 * its table (whatif_words.c); returns the row after. */
static int scen_reading(mpi_xlsx *x, const scen_sheet *S, int r)
{
    mpi_strlist lines = {0};
    mp_status st = mpi_whatif_reading_lines(book_lang(S->w->plan), S->w, S->view, &lines);
    if (st != MP_OK)
        mpi_xlsx_fail(x, st);
    if (st == MP_OK && lines.n) {
        mpi_xlsx_text(S->s, r++, 0, tr(S->w->plan, "From the first scenario to the last"), BOLD);
        for (size_t i = 0; i < lines.n; i++)
            mpi_xlsx_note(S->s, r++, 0, lines.v[i], PLAIN);
        r++;
    }
    mpi_strlist_free(&lines);
    return r;
}

/* The run's own warnings (its axes' values) under the tables, from row r;
 * the plan's are on the Assumptions sheet. */
static void scen_warnings(const scen_sheet *S, int r)
{
    const mpi_strlist *warn = &S->w->diag.warn;
    if (!warn->n)
        return;
    mpi_xlsx_text(S->s, r++, 0, tr(S->w->plan, "Warnings"), BOLD);
    for (size_t i = 0; i < warn->n; i++)
        mpi_xlsx_note(S->s, r++, 0, mpi_strlist_text(warn, i, book_lang(S->w->plan)), PLAIN);
}

/* The table printed in blocks of columns, each page repeating the axes and
 * the status, at a scale a reader can read (one page wide would shrink its
 * 40-odd columns to a few points). Each channel's spend and share are folded
 * away (the base plan's sheets have them): its change of spend against the
 * plan, where the money moves, shows. A sweep of one axis prints on two
 * pages, the charts and the first columns on the first. */
static void scen_print(const scen_sheet *S)
{
    const mp_plan *plan = S->w->plan;
    char dates[96];
    plan_dates(plan, dates, sizeof dates);
    /* the title on every page: a page right of the first continues the
     * table's rows, so no repeated row could carry it there */
    char tail[320];
    snprintf(tail, sizeof tail, " \u2014 %s", S->title);
    mpi_xlsx_print p = {.left = plan->client,
                        .centre = plan->name, /* shortened, the title kept whole */
                        .centre_tail = tail,
                        .right = dates,
                        .footer = tr(plan, "Page {page} of {pages}"),
                        .first_row = S->head,
                        .last_row = S->head,
                        .pages_wide = scen_pages_wide(S),
                        .repeat_cols = S->status + 1};
    mpi_xlsx_print_setup(S->s, &p);
}

static void sheet_scenarios(mpi_xlsx *x, const mp_whatif *w)
{
    mpi_whatif_report view;
    mp_status st = mpi_whatif_report_build(w, &view);
    if (st != MP_OK) {
        mpi_xlsx_fail(x, st);
        return;
    }
    scen_sheet S = {.w = w, .view = &view, .base = view.base};
    S.s = mpi_xlsx_sheet_add(x, tr(w->plan, "Scenarios"));
    scen_columns(&S);
    snprintf(S.title, sizeof S.title,
             mpi_trn(book_lang(w->plan), "What-if: %zu scenario against the plan as written",
                     "What-if: %zu scenarios against the plan as written", (unsigned long)view.n),
             view.n);
    /* above the charts, right of the columns every printed page repeats: a
     * title there would be cut at their edge on the next page */
    mpi_xlsx_text(S.s, 0, S.status + 1, S.title, TITLE);
    scen_heads(&S);
    for (size_t i = 0; i < view.n; i++)
        scen_row(&S, i);
    scen_warnings(&S, scen_reading(x, &S, scen_booked(&S, scen_charts(x, &S) + 2)));
    /* the axes' columns only: frozen rows would keep the charts on screen */
    mpi_xlsx_freeze(S.s, 0, (int)w->nax);
    mpi_xlsx_columns(S.s, 0, S.explain, 10);
    mpi_xlsx_hide_columns(S.s, S.spend, S.spend + S.folded - 1);
    if (S.nfan)
        mpi_xlsx_hide_columns(S.s, S.fan, S.fan + S.nfan - 1);
    scen_print(&S);
    mpi_whatif_report_free(&view);
}

/* ---- the book ------------------------------------------------------------ */

/* The plan's sheets when sol has a plan, and with w the Scenarios sheet,
 * written to a temporary file renamed over path only when every write
 * succeeded. */
static mp_status write_workbook(const mp_solution *sol, const mp_whatif *w, const char *path)
{
    mpi_clear_error();
    const mpi_report *rep = mpi_report_of(sol);
    if (!rep)
        return mpi_fail(MP_ERR_INTERNAL, N_("the solution has no report view"));
    if (!rep->solved && !w)
        return mpi_fail(MP_ERR_INPUT, N_("no plan to write: the plan is %s"), rep->status);
    mpi_atomic a;
    mp_status st = mpi_atomic_begin(path, "workbook", &a);
    if (st != MP_OK)
        return st;
    char comments[64];
    snprintf(comments, sizeof comments, tr(rep->plan, "Written by mixplan %s"), mp_version());
    mpi_xlsx_props props = {.title = rep->plan->name,
                            .company = rep->plan->client,
                            .comments = comments,
                            .currency = rep->plan->currency,
                            .lang = book_lang(rep->plan)};
    mpi_xlsx *x;
    st = mpi_xlsx_open(a.tmp, path, &props, &x);
    if (st == MP_OK) {
        if (rep->solved) {
            mpi_xlsx_sheet *summary = sheet_summary(x, rep);
            sheet_plan(x, rep, summary);
            sheet_channels(x, rep);
            if (has_keywords(rep->plan)) {
                sheet_keywords(x, rep);
                sheet_groups(x, rep);
            }
            sheet_constraints(x, rep);
            sheet_assumptions(x, rep);
        }
        if (w)
            sheet_scenarios(x, w);
        st = mpi_xlsx_close(x);
    }
    mp_status end = mpi_atomic_end(&a, path, st == MP_OK);
    return st != MP_OK ? st : end;
}

mp_status mp_workbook_sheet_names(const mp_plan *plan, int scenarios, char *buf, size_t size)
{
    mpi_clear_error();
    if (!plan || !buf || !size)
        return mpi_fail(MP_ERR_INPUT, N_("mp_workbook_sheet_names: no plan or no buffer given"));
    /* in write_workbook's order */
    static const char *const names[] = {N_("Summary"),     N_("Plan"),     N_("Channels"),
                                        N_("Keywords"),    N_("Groups"),   N_("Constraints"),
                                        N_("Assumptions"), N_("Scenarios")};
    enum { KEYWORDS = 3, GROUPS = 4 };
    size_t n = sizeof names / sizeof names[0] - !scenarios, o = 0;
    int keywords = has_keywords(plan);
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        if (!keywords && (i == KEYWORDS || i == GROUPS))
            continue;
        o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", tr(plan, names[i]));
    }
    return MP_OK;
}

mp_status mp_solution_write_xlsx(const mp_solution *sol, const char *path)
{
    if (!sol || !path)
        return mpi_fail(MP_ERR_INPUT, N_("mp_solution_write_xlsx: no solution or no path given"));
    return write_workbook(sol, NULL, path);
}

mp_status mp_whatif_write_xlsx(const mp_whatif *w, const char *path)
{
    if (!w || !path)
        return mpi_fail(MP_ERR_INPUT, N_("mp_whatif_write_xlsx: no what-if run or no path given"));
    return write_workbook(w->base, w, path);
}
