/* The Excel workbook: Summary, Plan, Channels, Keywords, Groups, Constraints,
 * Assumptions, and for a what-if run Scenarios, rendered through the workbook
 * adapter (xlsx.h). Text is always written as text, so a keyword starting
 * with "=" never becomes a formula; totals in the Plan sheet are live SUM
 * formulas carrying their computed value. The adapter keeps the first
 * failure, so the sheets are written without checks and the book is checked
 * once, when it is closed. */
#include "report.h"
#include "whatif.h"
#include "xlsx.h"

#include <stdlib.h>
#include <string.h>

#define PLAIN MPI_XLSX_PLAIN
#define TITLE MPI_XLSX_TITLE
#define BOLD  MPI_XLSX_BOLD
#define HEAD  MPI_XLSX_HEAD
#define MONEY MPI_XLSX_MONEY
#define COUNT MPI_XLSX_COUNT
#define DEC   MPI_XLSX_DEC
#define PCT   MPI_XLSX_PCT

/* A column heading "label (unit)"; unit NULL: the label alone, CUR: the
 * plan's currency. */
typedef struct heading {
    const char *label, *unit;
} heading;
static const char CUR[] = "";

static void headings(mpi_xlsx_sheet *s, int row, int col, const heading *h, int n,
                     const char *currency)
{
    for (int i = 0; i < n; i++) {
        char buf[96];
        const char *unit = h[i].unit == CUR ? currency : h[i].unit;
        if (unit)
            snprintf(buf, sizeof buf, "%s (%s)", h[i].label, unit);
        mpi_xlsx_text(s, row, col + i, unit ? buf : h[i].label, HEAD);
    }
}

static int has_plan(int result)
{
    return result == MP_RESULT_OPTIMAL || result == MP_RESULT_TIME_LIMIT;
}

/* The objective's measure: the KPI maximised, or what is minimised. */
static const char *objective_name(const mp_plan *plan)
{
    return plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
           : plan->obj_kpi == MPI_CO2 ? "co2"
                                      : "cost";
}

static mpi_xlsx_style kpi_style(int q)
{
    return q == MPI_SPEND || q == MPI_REVENUE ? MONEY : DEC;
}

static double share(double part, double total)
{
    return total > 0 ? part / total : 0;
}

/* ---- Summary ------------------------------------------------------------ */

/* Rows 0-7: the brief and the outcome. */
static void summary_brief(mpi_xlsx_sheet *s, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    char buf[256], date[16];
    mpi_xlsx_text(s, 0, 0, plan->name, TITLE);
    mpi_xlsx_text(s, 1, 0, "Client", BOLD);
    mpi_xlsx_text(s, 1, 1, plan->client, PLAIN);
    mpi_fmt_date(date, sizeof date, plan->start);
    mpi_xlsx_text(s, 2, 0, "Period", BOLD);
    snprintf(buf, sizeof buf, "%d %s from %s", plan->periods,
             plan->period_kind == MPI_WEEK ? "weeks" : "months", date);
    mpi_xlsx_text(s, 2, 1, buf, PLAIN);
    snprintf(buf, sizeof buf, "Budget (%s)", plan->currency);
    mpi_xlsx_text(s, 3, 0, buf, BOLD);
    mpi_xlsx_number(s, 3, 1, plan->budget, MONEY);
    mpi_xlsx_text(s, 4, 0, "Objective", BOLD);
    snprintf(buf, sizeof buf, "%s %s", plan->obj_sense > 0 ? "max" : "min", objective_name(plan));
    mpi_xlsx_text(s, 4, 1, buf, PLAIN);
    snprintf(buf, sizeof buf, "Objective value (%s)", mpi_kpi_unit(plan, plan->obj_kpi));
    mpi_xlsx_text(s, 5, 0, buf, BOLD);
    mpi_xlsx_number(s, 5, 1, sol->objective, DEC);
    mpi_xlsx_text(s, 6, 0, "Status", BOLD);
    mpi_xlsx_text(s, 6, 1, mpi_result_str(sol->result), PLAIN);
    mpi_xlsx_text(s, 7, 0, "Curve tolerance", BOLD);
    mpi_xlsx_number(s, 7, 1, plan->precision, PCT);
}

/* The KPI totals from row r; returns the row after them. */
static int summary_kpis(mpi_xlsx_sheet *s, const mp_solution *sol, int r)
{
    static const char *const h[] = {"KPI", "unit", "value"};
    mpi_xlsx_text_row(s, r++, 0, h, 3, HEAD);
    for (int q = 0; q < MPI_NKPI; q++, r++) {
        mpi_xlsx_text(s, r, 0, mpi_kpi_names[q], PLAIN);
        mpi_xlsx_text(s, r, 1, mpi_kpi_unit(sol->plan, q), PLAIN);
        mpi_xlsx_number(s, r, 2, sol->kpi[q], kpi_style(q));
    }
    mpi_xlsx_text(s, r, 0, "reach, de-duplicated across channels", PLAIN);
    mpi_xlsx_text(s, r, 1, "people", PLAIN);
    mpi_xlsx_number(s, r, 2, sol->reach_dedup, COUNT);
    return r + 1;
}

/* The "name, type, spend, share" heading of the channel and media tables. */
static void summary_spend_heads(mpi_xlsx_sheet *s, int r, const char *first, const char *second,
                                const char *currency)
{
    const heading h[] = {{first, NULL}, {second, NULL}, {"spend", CUR}, {"share of spend", NULL}};
    headings(s, r, 0, h, 4, currency);
}

/* Spend by channel, its heading on row r; the channels' rows in *rows. */
static void summary_channels(mpi_xlsx_sheet *s, const mp_solution *sol, int r, mpi_xlsx_range *rows)
{
    const mp_plan *plan = sol->plan;
    summary_spend_heads(s, r++, "channel", "type", plan->currency);
    *rows = (mpi_xlsx_range){r, 0, r + (int)plan->nch - 1, 0};
    for (size_t c = 0; c < plan->nch; c++, r++) {
        double spend = MPI_CH_KPI(sol, c, MPI_SPEND);
        mpi_xlsx_text(s, r, 0, plan->ch[c].name, PLAIN);
        mpi_xlsx_text(s, r, 1, plan->ch[c].ops->media, PLAIN);
        mpi_xlsx_number(s, r, 2, spend, MONEY);
        mpi_xlsx_number(s, r, 3, share(spend, sol->kpi[MPI_SPEND]), PCT);
    }
}

/* Spend on digital and offline media, the heading on row r. */
static void summary_media(mpi_xlsx_sheet *s, const mp_solution *sol, int r)
{
    const mp_plan *plan = sol->plan;
    double total = sol->kpi[MPI_SPEND], digital = 0;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].digital)
            digital += MPI_CH_KPI(sol, c, MPI_SPEND);
    summary_spend_heads(s, r++, "media", "", plan->currency);
    mpi_xlsx_text(s, r, 0, "digital", PLAIN);
    mpi_xlsx_number(s, r, 2, digital, MONEY);
    mpi_xlsx_number(s, r, 3, share(digital, total), PCT);
    r++;
    mpi_xlsx_text(s, r, 0, "offline", PLAIN);
    mpi_xlsx_number(s, r, 2, total - digital, MONEY);
    mpi_xlsx_number(s, r, 3, share(total - digital, total), PCT);
}

static void sheet_summary(mpi_xlsx *x, const mp_solution *sol)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Summary");
    mpi_xlsx_columns(s, 0, 0, 28);
    mpi_xlsx_columns(s, 1, 3, 18);
    summary_brief(s, sol);
    int r = summary_kpis(s, sol, 9) + 1;
    mpi_xlsx_range names;
    summary_channels(s, sol, r, &names);
    summary_media(s, sol, names.row1 + 2);
    mpi_xlsx_chart *pie = mpi_xlsx_chart_add(x, MPI_XLSX_PIE);
    mpi_xlsx_range spends = {names.row0, 2, names.row1, 2};
    mpi_xlsx_series(pie, s, names, spends, NULL);
    mpi_xlsx_chart_titles(pie, "Spend by channel", NULL, NULL);
    mpi_xlsx_chart_insert(s, 1, 5, pie);
}

/* ---- Plan: spend by channel and period ---------------------------------- */

static void plan_heads(mpi_xlsx_sheet *s, const mp_plan *plan)
{
    char buf[64];
    snprintf(buf, sizeof buf, "spend (%s) by period", plan->currency);
    mpi_xlsx_text(s, 0, 0, buf, BOLD);
    mpi_xlsx_text(s, 1, 0, "channel", HEAD);
    mpi_xlsx_text(s, 1, 1, "type", HEAD);
    for (int t = 0; t < plan->periods; t++) {
        char date[16];
        mpi_fmt_date(date, sizeof date, plan->period_start[t]);
        snprintf(buf, sizeof buf, "P%d %s", t + 1, date);
        mpi_xlsx_text(s, 1, 2 + t, buf, HEAD);
    }
    mpi_xlsx_text(s, 1, 2 + plan->periods, "total", HEAD);
}

/* The totals row r under the channels: a SUM down each period and the total. */
static void plan_totals(mpi_xlsx_sheet *s, const mp_solution *sol, int r)
{
    const mp_plan *plan = sol->plan;
    int np = plan->periods;
    mpi_xlsx_text(s, r, 0, "total", BOLD);
    for (int t = 0; t <= np; t++) {
        double v = 0;
        for (size_t c = 0; c < plan->nch; c++)
            v += t < np ? MPI_CP_KPI(sol, c, t, MPI_SPEND) : MPI_CH_KPI(sol, c, MPI_SPEND);
        mpi_xlsx_sum(s, r, 2 + t, (mpi_xlsx_range){2, 2 + t, r - 1, 2 + t}, v, MONEY);
    }
}

static void sheet_plan(mpi_xlsx *x, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Plan");
    int np = plan->periods;
    plan_heads(s, plan);
    mpi_xlsx_columns(s, 0, 0, 22);
    mpi_xlsx_columns(s, 2, 2 + np, 14);
    int r = 2;
    for (size_t c = 0; c < plan->nch; c++, r++) {
        mpi_xlsx_text(s, r, 0, plan->ch[c].name, PLAIN);
        mpi_xlsx_text(s, r, 1, plan->ch[c].ops->media, PLAIN);
        for (int t = 0; t < np; t++)
            mpi_xlsx_number(s, r, 2 + t, MPI_CP_KPI(sol, c, t, MPI_SPEND), MONEY);
        mpi_xlsx_sum(s, r, 2 + np, (mpi_xlsx_range){r, 2, r, 1 + np}, MPI_CH_KPI(sol, c, MPI_SPEND),
                     MONEY);
    }
    plan_totals(s, sol, r);
    mpi_xlsx_freeze(s, 2, 2);
}

/* ---- Channels ------------------------------------------------------------ */

/* The KPIs of the Channels sheet, from column 2, with their headings. */
static const int channel_kpis[] = {MPI_SPEND,   MPI_IMPRESSIONS, MPI_CLICKS, MPI_CONVERSIONS,
                                   MPI_REVENUE, MPI_GRP,         MPI_REACH,  MPI_CO2};
#define NCHANNEL_KPIS ((int)(sizeof channel_kpis / sizeof channel_kpis[0]))

static void channel_heads(mpi_xlsx_sheet *s, const mp_plan *plan)
{
    static const heading first[] = {
        {"channel", NULL},   {"type", NULL},        {"spend", CUR},   {"impressions", NULL},
        {"clicks", NULL},    {"conversions", NULL}, {"revenue", CUR}, {"GRP", NULL},
        {"reach", "people"}, {"CO2e", "kg"},        {"CPA", CUR},     {"ROAS", "revenue/spend"}};
    static const heading last[] = {
        {"CO2e factor", "kg per unit"}, {"CO2e factor unit", NULL}, {"CO2e factor source", NULL}};
    const char *cur = plan->currency;
    int n = (int)(sizeof first / sizeof first[0]);
    headings(s, 0, 0, first, n, cur);
    /* the return of the objective's KPI, or of conversions when minimising */
    int rq = plan->obj_sense > 0 ? plan->obj_kpi : MPI_CONVERSIONS;
    char buf[96];
    snprintf(buf, sizeof buf, "marginal return (%s per k%s)",
             rq == MPI_REVENUE ? cur : mpi_kpi_names[rq], cur);
    mpi_xlsx_text(s, 0, n, buf, HEAD);
    headings(s, 0, n + 1, last, (int)(sizeof last / sizeof last[0]), cur);
}

static void channel_row(mpi_xlsx_sheet *s, int r, const mp_solution *sol, size_t c)
{
    const mpi_channel *ch = &sol->plan->ch[c];
    mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
    mpi_xlsx_text(s, r, 1, ch->ops->media, PLAIN);
    for (int k = 0; k < NCHANNEL_KPIS; k++)
        mpi_xlsx_number(s, r, 2 + k, MPI_CH_KPI(sol, c, channel_kpis[k]),
                        kpi_style(channel_kpis[k]));
    int col = 2 + NCHANNEL_KPIS;
    double spend = MPI_CH_KPI(sol, c, MPI_SPEND), conv = MPI_CH_KPI(sol, c, MPI_CONVERSIONS);
    mpi_xlsx_number(s, r, col++, conv > 0 ? spend / conv : NAN, DEC);
    mpi_xlsx_number(s, r, col++, spend > 0 ? MPI_CH_KPI(sol, c, MPI_REVENUE) / spend : NAN, DEC);
    mpi_xlsx_number(s, r, col++, sol->ch_marginal[c] * 1000, DEC);
    mpi_xlsx_number(s, r, col++, ch->co2_per_unit, DEC);
    mpi_xlsx_text(s, r, col++, ch->ops->co2_unit, PLAIN);
    mpi_xlsx_text(s, r, col, ch->co2_source ? ch->co2_source : "none given (0)", PLAIN);
}

static void sheet_channels(mpi_xlsx *x, const mp_solution *sol)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Channels");
    channel_heads(s, sol->plan);
    for (size_t c = 0; c < sol->plan->nch; c++)
        channel_row(s, (int)c + 1, sol, c);
    mpi_xlsx_columns(s, 0, 0, 22);
    mpi_xlsx_columns(s, 2, 15, 16);
    mpi_xlsx_freeze(s, 1, 1);
}

/* ---- Keywords ------------------------------------------------------------ */

static const heading keyword_heads[] = {{"channel", NULL},
                                        {"keyword", NULL},
                                        {"group", NULL},
                                        {"bid", CUR},
                                        {"clicks", NULL},
                                        {"cost", CUR},
                                        {"conversions", NULL},
                                        {"impressions", NULL},
                                        {"revenue", CUR},
                                        {"avg. monthly searches", NULL},
                                        {"top of page bid low", CUR},
                                        {"top of page bid high", CUR},
                                        {"volume bucketed", NULL},
                                        {"default bids", NULL},
                                        {"source line", NULL}};
#define NKEYWORD_HEADS ((int)(sizeof keyword_heads / sizeof keyword_heads[0]))

static void keyword_row(mpi_xlsx_sheet *s, int r, const mp_plan *plan, const mpi_kw_result *kr)
{
    const mpi_channel *ch = &plan->ch[kr->channel];
    const mpi_keyword *kwd = ch->ops->keyword(ch->params, kr->keyword);
    mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
    mpi_xlsx_text(s, r, 1, kwd->text, PLAIN);
    mpi_xlsx_text(s, r, 2, kwd->group, PLAIN);
    /* columns 3-11: what the solution bought, then the Keyword Planner's figures */
    static const mpi_xlsx_style style[] = {DEC, DEC, MONEY, DEC, DEC, MONEY, COUNT, DEC, DEC};
    const double v[] = {kr->bid,     kr->clicks,  kr->spend,   kr->conversions, kr->impressions,
                        kr->revenue, kwd->volume, kwd->bid_lo, kwd->bid_hi};
    for (int k = 0; k < (int)(sizeof v / sizeof v[0]); k++)
        mpi_xlsx_number(s, r, 3 + k, v[k], style[k]);
    mpi_xlsx_text(s, r, 12, kwd->flags & MPI_KW_BUCKETED ? "yes" : "no", PLAIN);
    mpi_xlsx_text(s, r, 13, kwd->flags & MPI_KW_DEFAULT_BIDS ? "yes" : "no", PLAIN);
    mpi_xlsx_number(s, r, 14, kwd->line, PLAIN);
}

static void sheet_keywords(mpi_xlsx *x, const mp_solution *sol)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Keywords");
    headings(s, 0, 0, keyword_heads, NKEYWORD_HEADS, sol->plan->currency);
    for (size_t k = 0; k < sol->nkw; k++)
        keyword_row(s, (int)k + 1, sol->plan, &sol->kw[k]);
    mpi_xlsx_columns(s, 1, 1, 36);
    mpi_xlsx_columns(s, 3, NKEYWORD_HEADS - 1, 14);
    /* a filter needs a row under its heading, even an empty one */
    int last = sol->nkw > 0 ? (int)sol->nkw : 1;
    mpi_xlsx_autofilter(s, (mpi_xlsx_range){0, 0, last, NKEYWORD_HEADS - 1});
    mpi_xlsx_freeze(s, 1, 0);
}

/* ---- Groups: keyword groups of search channels --------------------------- */

static void group_row(mpi_xlsx_sheet *s, int r, const mp_plan *plan, const mpi_group_total *g)
{
    mpi_xlsx_text(s, r, 0, plan->ch[g->channel].name, PLAIN);
    mpi_xlsx_text(s, r, 1, *g->group ? g->group : "(no group)", PLAIN);
    mpi_xlsx_number(s, r, 2, (double)g->keywords, COUNT);
    mpi_xlsx_number(s, r, 3, g->spend, MONEY);
    mpi_xlsx_number(s, r, 4, g->clicks, DEC);
    mpi_xlsx_number(s, r, 5, g->conversions, DEC);
    mpi_xlsx_number(s, r, 6, g->revenue, MONEY);
    mpi_xlsx_number(s, r, 7, g->conversions > 0 ? g->spend / g->conversions : NAN, DEC);
}

static void sheet_groups(mpi_xlsx *x, const mp_solution *sol)
{
    static const heading h[] = {{"channel", NULL}, {"group", NULL},  {"keywords", NULL},
                                {"spend", CUR},    {"clicks", NULL}, {"conversions", NULL},
                                {"revenue", CUR},  {"CPA", CUR}};
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Groups");
    headings(s, 0, 0, h, (int)(sizeof h / sizeof h[0]), sol->plan->currency);
    mpi_group_total *gt;
    size_t n;
    mp_status st = mpi_group_totals(sol, &gt, &n);
    if (st != MP_OK) {
        mpi_xlsx_fail(x, st);
        return;
    }
    for (size_t i = 0; i < n; i++)
        group_row(s, (int)i + 1, sol->plan, &gt[i]);
    free(gt);
    mpi_xlsx_columns(s, 0, 1, 22);
    mpi_xlsx_columns(s, 2, 7, 14);
    mpi_xlsx_freeze(s, 1, 0);
}

/* ---- Constraints: every row of the LP but the reach links --------------- */

static void sheet_constraints(mpi_xlsx *x, const mp_solution *sol)
{
    static const char *const h[] = {"name",  "expression", "value",
                                    "bound", "binding",    "dual (objective per unit of bound)"};
    const mp_plan *plan = sol->plan;
    const mpi_lp *lp = &sol->model.lp;
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Constraints");
    mpi_xlsx_text_row(s, 0, 0, h, 6, HEAD);
    int r = 1;
    for (size_t i = 0; i < lp->nrows; i++) {
        const mpi_row *row = &lp->rows[i];
        if (row->kind == MPI_ROW_REACH_LINK)
            continue;
        int user = row->kind == MPI_ROW_CONSTRAINT;
        /* the engine's own rows are labelled "name: expression" */
        mpi_xlsx_text(s, r, 0, user ? plan->cons[row->ref].name : row->name, PLAIN);
        mpi_xlsx_text(s, r, 1, user ? plan->cons[row->ref].text : strchr(row->label, ':') + 2,
                      PLAIN);
        mpi_xlsx_number(s, r, 2, sol->rows[i].value, DEC);
        mpi_xlsx_number(s, r, 3, sol->rows[i].bound, DEC);
        mpi_xlsx_text(s, r, 4, sol->rows[i].binding ? "yes" : "no", PLAIN);
        mpi_xlsx_number(s, r, 5, sol->rows[i].dual, DEC);
        r++;
    }
    mpi_xlsx_columns(s, 0, 1, 30);
    mpi_xlsx_columns(s, 2, 5, 16);
}

/* ---- Assumptions: the inputs, datasets, prices and model notes ----------- */

/* Every key of the plan file from row 1; returns the row after them. */
static int assumptions_inputs(mpi_xlsx_sheet *s, const mp_plan *plan)
{
    static const char *const h[] = {"section", "key", "value", "source file", "line"};
    mpi_xlsx_text_row(s, 0, 0, h, 5, HEAD);
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
    mpi_xlsx_text(s, r, 1, what, PLAIN);
    if (value)
        mpi_xlsx_text(s, r, 2, value, PLAIN);
    mpi_xlsx_text(s, r, 3, source, PLAIN);
    return r + 1;
}

/* The datasets each channel read, from row r; returns the row after them. */
static int assumptions_datasets(mpi_xlsx_sheet *s, const mp_plan *plan, int r)
{
    mpi_xlsx_text(s, r++, 0, "Datasets", BOLD);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        char line[256];
        if (ch->ops->keyword_source) {
            snprintf(line, sizeof line, "%zu keywords read", ch->ops->keyword_count(ch->params));
            r = dataset_line(s, r, ch, "keywords", line, ch->ops->keyword_source(ch->params));
        }
        if (ch->resp.source)
            r = dataset_line(s, r, ch, "response points", NULL, ch->resp.source);
        snprintf(line, sizeof line, "%g kg per %s", ch->co2_per_unit, ch->ops->co2_unit);
        r = dataset_line(s, r, ch, "CO2e factor", line,
                         ch->co2_source ? ch->co2_source : "none given (0)");
    }
    return r;
}

/* A channel's unit cost in each period, from row r; returns the next row. */
static int channel_prices(mpi_xlsx_sheet *s, const mp_plan *plan, const mpi_channel *ch, int r)
{
    double base = ch->ops->unit_cost(ch->params);
    char what[64];
    snprintf(what, sizeof what, "%s (%s)", ch->ops->cost_name, plan->currency);
    for (int t = 0; t < plan->periods; t++, r++) {
        double idx = ch->ops->cost_index(ch->params, &plan->mctx, ch, -1, t, ch->inflation);
        char date[16];
        mpi_fmt_date(date, sizeof date, plan->period_start[t]);
        mpi_xlsx_text(s, r, 0, ch->name, PLAIN);
        mpi_xlsx_text(s, r, 1, what, PLAIN);
        mpi_xlsx_number(s, r, 2, ch->inflation, PCT);
        mpi_xlsx_text(s, r, 3, date, PLAIN);
        mpi_xlsx_number(s, r, 4, idx, DEC);
        mpi_xlsx_number(s, r, 5, base * idx, DEC);
    }
    return r;
}

static int assumptions_prices(mpi_xlsx_sheet *s, const mp_plan *plan, int r)
{
    static const char *const h[] = {"channel", "unit cost",   "yearly rate",
                                    "period",  "price index", "unit cost in the period"};
    mpi_xlsx_text(s, r++, 0, "Prices by period (inflation applied)", BOLD);
    mpi_xlsx_text_row(s, r++, 0, h, 6, HEAD);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (ch->ops->cost_index && ch->ops->unit_cost)
            r = channel_prices(s, plan, ch, r);
    }
    return r;
}

static int assumptions_notes(mpi_xlsx_sheet *s, const mp_plan *plan, int r)
{
    static const char *const notes[] = {
        "Search: competing bids log-normal through the Keyword Planner's top-of-page bids "
        "(20th and 80th percentiles), second-price auction.",
        "Prices: a channel's costs scale by (1 + yearly rate)^years from its price "
        "date (search: the export's date range) to the middle of each period; for "
        "search the index shown is the lowest of the channel's keywords.",
        "A search bid ceiling (max_cpc) is an amount of money and does not inflate: as "
        "competing bids rise it wins fewer auctions.",
        "Reach per channel is counted once per channel (no cross-media de-duplication) "
        "except the de-duplicated figure on the Summary sheet."};
    mpi_xlsx_text(s, r++, 0, "Model notes", BOLD);
    char buf[512];
    snprintf(buf, sizeof buf,
             "Response curves are piecewise linear with adaptive breakpoints; maximum error "
             "%g %% of each curve's range.",
             plan->precision * 100);
    mpi_xlsx_text(s, r++, 0, buf, PLAIN);
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        mpi_xlsx_text(s, r++, 0, notes[i], PLAIN);
    return r;
}

static void sheet_assumptions(mpi_xlsx *x, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Assumptions");
    int r = assumptions_inputs(s, plan);
    r = assumptions_datasets(s, plan, r + 1);
    r = assumptions_prices(s, plan, r + 1);
    r = assumptions_notes(s, plan, r + 1);
    if (plan->diag.warn.n) {
        r++;
        mpi_xlsx_text(s, r++, 0, "Warnings", BOLD);
        for (size_t i = 0; i < plan->diag.warn.n; i++)
            mpi_xlsx_text(s, r++, 0, plan->diag.warn.v[i], PLAIN);
    }
    mpi_xlsx_columns(s, 0, 1, 24);
    mpi_xlsx_columns(s, 2, 3, 40);
}

/* ---- Scenarios: one row a scenario, then charts against the first axis -- */

/* The scenario table's media columns: every family (report.h), digital and
 * offline included; the charts stack the registry's families alone. */
static int media_columns(void)
{
    return (int)mpi_media_count();
}

static int media_families(void)
{
    return (int)mpi_media_family_count();
}

static const char *media_name(int m)
{
    return mpi_media_name((size_t)m);
}

/* Where the scenario table's columns start; scenario i is on row head + 1 + i. */
typedef struct scen_layout {
    int head;
    int status, objective, change, kpi, spend, share, spend_change, media, marginal, explain;
    const char *objective_name;
} scen_layout;

static scen_layout scen_columns(const mp_whatif *w)
{
    scen_layout L = {.head = 2, .objective_name = objective_name(w->plan)};
    int nch = (int)w->plan->nch;
    L.status = (int)w->nax;
    L.objective = L.status + 1;
    L.change = L.objective + 1;
    L.kpi = L.change + 1;
    L.spend = L.kpi + MPI_NKPI;
    L.share = L.spend + nch;
    L.spend_change = L.share + nch;
    L.media = L.spend_change + nch;
    L.marginal = L.media + media_columns();
    L.explain = L.marginal + 1;
    return L;
}

/* Per channel from col, the heading "label NAME tail". */
static void channel_heads_as(mpi_xlsx_sheet *s, int r, int col, const mp_plan *plan,
                             const char *label, const char *tail)
{
    for (size_t c = 0; c < plan->nch; c++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s %s%s", label, plan->ch[c].name, tail);
        mpi_xlsx_text(s, r, col + (int)c, buf, HEAD);
    }
}

static void scen_heads(mpi_xlsx_sheet *s, const mp_whatif *w, const scen_layout *L)
{
    const mp_plan *plan = w->plan;
    const char *cur = plan->currency, *kpi = L->objective_name;
    char buf[160], in_cur[32], against[64];
    int r = L->head;
    for (size_t a = 0; a < w->nax; a++) {
        snprintf(buf, sizeof buf, "%s%s", w->ax[a].label, w->ax[a].pct ? " (%)" : "");
        mpi_xlsx_text(s, r, (int)a, buf, HEAD);
    }
    mpi_xlsx_text(s, r, L->status, "status", HEAD);
    snprintf(buf, sizeof buf, "%s (%s)", kpi, mpi_kpi_unit(plan, plan->obj_kpi));
    mpi_xlsx_text(s, r, L->objective, buf, HEAD);
    snprintf(buf, sizeof buf, "change of %s against the plan", kpi);
    mpi_xlsx_text(s, r, L->change, buf, HEAD);
    for (int q = 0; q < MPI_NKPI; q++) {
        snprintf(buf, sizeof buf, "%s (%s)", mpi_kpi_names[q], mpi_kpi_unit(plan, q));
        mpi_xlsx_text(s, r, L->kpi + q, buf, HEAD);
    }
    snprintf(in_cur, sizeof in_cur, " (%s)", cur);
    channel_heads_as(s, r, L->spend, plan, "spend", in_cur);
    channel_heads_as(s, r, L->share, plan, "share", "");
    snprintf(against, sizeof against, " against the plan (%s)", cur);
    channel_heads_as(s, r, L->spend_change, plan, "change of spend", against);
    for (int m = 0; m < media_columns(); m++) {
        snprintf(buf, sizeof buf, "share %s", media_name(m));
        mpi_xlsx_text(s, r, L->media + m, buf, HEAD);
    }
    snprintf(buf, sizeof buf, "marginal return (%s per k%s of budget)", kpi, cur);
    mpi_xlsx_text(s, r, L->marginal, buf, HEAD);
    mpi_xlsx_text(s, r, L->explain, "explanation", HEAD);
}

/* Value i of an axis, as a rate or a plain number. */
static void axis_value(mpi_xlsx_sheet *s, int r, int col, const mpi_axis *ax, size_t i)
{
    mpi_xlsx_number(s, r, col, ax->values[i], ax->pct ? PCT : DEC);
}

/* Spend, share and change of spend per channel, and share per media family. */
static void scen_spends(mpi_xlsx_sheet *s, int r, const mp_whatif *w, const scen_layout *L,
                        const mpi_scen *sc)
{
    double total = sc->kpi[MPI_SPEND];
    int base_ok = has_plan(w->base->result);
    for (size_t c = 0; c < w->plan->nch; c++) {
        int k = (int)c;
        mpi_xlsx_number(s, r, L->spend + k, sc->spend[c], MONEY);
        mpi_xlsx_number(s, r, L->share + k, share(sc->spend[c], total), PCT);
        mpi_xlsx_number(s, r, L->spend_change + k,
                        base_ok ? sc->spend[c] - MPI_CH_KPI(w->base, c, MPI_SPEND) : NAN, MONEY);
    }
    for (int m = 0; m < media_columns(); m++)
        mpi_xlsx_number(s, r, L->media + m, share(sc->media[m], total), PCT);
}

static void scen_row(mpi_xlsx_sheet *s, const mp_whatif *w, const scen_layout *L, size_t i)
{
    const mpi_scen *sc = &w->s[i];
    int r = L->head + 1 + (int)i;
    for (size_t a = 0; a < w->nax; a++)
        axis_value(s, r, (int)a, &w->ax[a], sc->idx[a]);
    mpi_xlsx_text(s, r, L->status, mpi_result_str(sc->result), PLAIN);
    if (!mpi_scen_solved(sc)) {
        mpi_xlsx_text(s, r, L->explain, sc->explain, PLAIN);
        return;
    }
    int base_ok = has_plan(w->base->result);
    mpi_xlsx_number(s, r, L->objective, sc->objective, DEC);
    mpi_xlsx_number(s, r, L->change, base_ok ? sc->objective - w->base->objective : NAN, DEC);
    for (int q = 0; q < MPI_NKPI; q++)
        mpi_xlsx_number(s, r, L->kpi + q, sc->kpi[q], DEC);
    scen_spends(s, r, w, L, sc);
    mpi_xlsx_number(s, r, L->marginal, sc->marginal * 1000, DEC);
}

/* One axis: the objective and the media shares of the table, row by row. */
static void scen_series_one_axis(mpi_xlsx_sheet *s, const mp_whatif *w, const scen_layout *L,
                                 mpi_xlsx_chart *line, mpi_xlsx_chart *stack)
{
    int first = L->head + 1, last = L->head + (int)w->ns;
    mpi_xlsx_range cats = {first, 0, last, 0};
    mpi_xlsx_series(line, s, cats, (mpi_xlsx_range){first, L->objective, last, L->objective},
                    L->objective_name);
    for (int m = 0; m < media_families(); m++) {
        int col = L->media + m;
        mpi_xlsx_series(stack, s, cats, (mpi_xlsx_range){first, col, last, col}, media_name(m));
    }
}

/* Two axes: the objective as a table, axis 1 down and axis 2 across, from row
 * r (its title above), with a heat-map colour scale and one line a value of
 * axis 2. Returns the table's last row. */
static int scen_pivot(mpi_xlsx_sheet *s, const mp_whatif *w, const scen_layout *L, int r,
                      mpi_xlsx_chart *line)
{
    const mpi_axis *a0 = &w->ax[0], *a1 = &w->ax[1];
    char buf[160];
    snprintf(buf, sizeof buf, "%s by %s (rows) and %s (columns)", L->objective_name, a0->label,
             a1->label);
    mpi_xlsx_text(s, r - 1, 0, buf, BOLD);
    mpi_xlsx_text(s, r, 0, a0->label, HEAD);
    for (size_t j = 0; j < a1->n; j++)
        axis_value(s, r, 1 + (int)j, a1, j);
    for (size_t i = 0; i < a0->n; i++) {
        int ri = r + 1 + (int)i;
        axis_value(s, ri, 0, a0, i);
        for (size_t j = 0; j < a1->n; j++) {
            const mpi_scen *sc = &w->s[i * a1->n + j];
            if (mpi_scen_solved(sc))
                mpi_xlsx_number(s, ri, 1 + (int)j, sc->objective, DEC);
            else
                mpi_xlsx_text(s, ri, 1 + (int)j, mpi_result_str(sc->result), PLAIN);
        }
    }
    int last = r + (int)a0->n;
    mpi_xlsx_color_scale(s, (mpi_xlsx_range){r + 1, 1, last, (int)a1->n});
    mpi_xlsx_range cats = {r + 1, 0, last, 0};
    /* a chart reads at most 32 lines */
    for (size_t j = 0; j < a1->n && j < 32; j++) {
        int col = 1 + (int)j;
        mpi_xlsx_series_named_by(line, s, cats, (mpi_xlsx_range){r + 1, col, last, col}, r, col);
    }
    return last;
}

/* Two axes: the media shares along axis 1 at the first value of axis 2, from
 * row r (its title above), and their stacked series. */
static void scen_media_along(mpi_xlsx_sheet *s, const mp_whatif *w, int r, mpi_xlsx_chart *stack)
{
    const mpi_axis *a0 = &w->ax[0];
    char buf[160];
    snprintf(buf, sizeof buf, "share of spend by media along %s (%s at its first value)", a0->label,
             w->ax[1].label);
    mpi_xlsx_text(s, r - 1, 0, buf, BOLD);
    mpi_xlsx_text(s, r, 0, a0->label, HEAD);
    for (int m = 0; m < media_families(); m++)
        mpi_xlsx_text(s, r, 1 + m, media_name(m), HEAD);
    for (size_t i = 0; i < a0->n; i++) {
        const mpi_scen *sc = &w->s[i * w->ax[1].n];
        axis_value(s, r + 1 + (int)i, 0, a0, i);
        for (int m = 0; m < media_families() && mpi_scen_solved(sc); m++)
            mpi_xlsx_number(s, r + 1 + (int)i, 1 + m, share(sc->media[m], sc->kpi[MPI_SPEND]), PCT);
    }
    int last = r + (int)a0->n;
    mpi_xlsx_range cats = {r + 1, 0, last, 0};
    for (int m = 0; m < media_families(); m++)
        mpi_xlsx_series(stack, s, cats, (mpi_xlsx_range){r + 1, 1 + m, last, 1 + m}, media_name(m));
}

static void scen_charts(mpi_xlsx *x, mpi_xlsx_sheet *s, const mp_whatif *w, const scen_layout *L)
{
    const mp_plan *plan = w->plan;
    const char *first_axis = w->ax[0].label;
    mpi_xlsx_chart *line = mpi_xlsx_chart_add(x, MPI_XLSX_LINE);
    mpi_xlsx_chart *stack = mpi_xlsx_chart_add(x, MPI_XLSX_STACKED_PCT);
    if (w->nax == 1) {
        scen_series_one_axis(s, w, L, line, stack);
    } else {
        int last = scen_pivot(s, w, L, L->head + (int)w->ns + 3, line);
        scen_media_along(s, w, last + 3, stack);
    }
    char buf[160];
    snprintf(buf, sizeof buf, "%s against %s", L->objective_name, first_axis);
    mpi_xlsx_chart_titles(line, buf, first_axis, mpi_kpi_unit(plan, plan->obj_kpi));
    snprintf(buf, sizeof buf, "share of spend by media against %s", first_axis);
    mpi_xlsx_chart_titles(stack, buf, NULL, NULL);
    mpi_xlsx_chart_insert(s, 0, L->explain + 2, line);
    mpi_xlsx_chart_insert(s, 18, L->explain + 2, stack);
}

static void sheet_scenarios(mpi_xlsx *x, const mp_whatif *w)
{
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Scenarios");
    scen_layout L = scen_columns(w);
    char buf[160];
    snprintf(buf, sizeof buf, "What-if: %zu scenarios against the plan as written", w->ns);
    mpi_xlsx_text(s, 0, 0, buf, TITLE);
    scen_heads(s, w, &L);
    for (size_t i = 0; i < w->ns; i++)
        scen_row(s, w, &L, i);
    scen_charts(x, s, w, &L);
    mpi_xlsx_freeze(s, L.head + 1, (int)w->nax);
    mpi_xlsx_columns(s, 0, L.explain, 14);
}

/* ---- the book ------------------------------------------------------------ */

/* The plan's sheets, and with w the Scenarios sheet, written to a temporary
 * file renamed over path only when every write succeeded. */
static mp_status write_workbook(const mp_solution *sol, const mp_whatif *w, const char *path)
{
    mpi_clear_error();
    int solved = has_plan(sol->result);
    if (!solved && !w)
        return mpi_fail(MP_ERR_INPUT, "no plan to write: the plan is %s",
                        mpi_result_str(sol->result));
    char *tmp = NULL;
    mp_status st = mpi_atomic_begin(path, &tmp);
    if (st != MP_OK)
        return st;
    char comments[64];
    snprintf(comments, sizeof comments, "Written by mixplan %s", mp_version());
    mpi_xlsx_props props = {
        .title = sol->plan->name, .company = sol->plan->client, .comments = comments};
    mpi_xlsx *x;
    st = mpi_xlsx_open(tmp, path, &props, &x);
    if (st == MP_OK) {
        if (solved) {
            sheet_summary(x, sol);
            sheet_plan(x, sol);
            sheet_channels(x, sol);
            sheet_keywords(x, sol);
            sheet_groups(x, sol);
            sheet_constraints(x, sol);
            sheet_assumptions(x, sol);
        }
        if (w)
            sheet_scenarios(x, w);
        st = mpi_xlsx_close(x);
    }
    mp_status end = mpi_atomic_end(tmp, path, st == MP_OK);
    free(tmp);
    return st != MP_OK ? st : end;
}

mp_status mp_solution_write_xlsx(const mp_solution *sol, const char *path)
{
    if (!sol || !path)
        return mpi_fail(MP_ERR_INPUT, "mp_solution_write_xlsx: no solution or no path given");
    return write_workbook(sol, NULL, path);
}

mp_status mp_whatif_write_xlsx(const mp_whatif *w, const char *path)
{
    if (!w || !path)
        return mpi_fail(MP_ERR_INPUT, "mp_whatif_write_xlsx: no what-if run or no path given");
    return write_workbook(w->base, w, path);
}
