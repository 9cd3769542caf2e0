/* The Excel workbook (libxlsxwriter adapter): Summary, Plan, Channels,
 * Keywords, Constraints, Assumptions. Text is always written as text, so a
 * keyword starting with "=" never becomes a formula; totals in the Plan sheet
 * are live SUM formulas carrying their computed value. */
#include "whatif.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct fmts {
    lxw_format *title, *bold, *head, *money, *num, *dec, *pct, *wrap;
} fmts;

static void col_letter(char *buf, size_t n, int col)
{
    char tmp[8];
    int i = 0;
    col++;
    while (col > 0 && i < 7) {
        int r = (col - 1) % 26;
        tmp[i++] = (char)('A' + r);
        col = (col - 1) / 26;
    }
    size_t o = 0;
    while (i > 0 && o + 1 < n)
        buf[o++] = tmp[--i];
    buf[o] = '\0';
}

static void num(lxw_worksheet *ws, int r, int c, double v, lxw_format *f)
{
    if (isfinite(v))
        worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, f);
    else
        worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, "n/a", NULL);
}

static void str(lxw_worksheet *ws, int r, int c, const char *s, lxw_format *f)
{
    worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s ? s : "", f);
}

static void heads(lxw_worksheet *ws, int r, const char *const *h, int n, lxw_format *f)
{
    for (int c = 0; c < n; c++)
        str(ws, r, c, h[c], f);
}

static const char *obj_kpi_name(const mp_plan *plan)
{
    return plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
           : plan->obj_kpi == MPI_CO2 ? "co2"
                                      : "cost";
}

static void sheet_summary(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Summary");
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 3, 18, NULL);
    char buf[256], date[16];
    str(ws, 0, 0, plan->name, f->title);
    str(ws, 1, 0, "Client", f->bold);
    str(ws, 1, 1, plan->client, NULL);
    mpi_fmt_date(date, sizeof date, plan->start);
    str(ws, 2, 0, "Period", f->bold);
    snprintf(buf, sizeof buf, "%d %s from %s", plan->periods,
             plan->period_kind == MPI_WEEK ? "weeks" : "months", date);
    str(ws, 2, 1, buf, NULL);
    snprintf(buf, sizeof buf, "Budget (%s)", plan->currency);
    str(ws, 3, 0, buf, f->bold);
    num(ws, 3, 1, plan->budget, f->money);
    str(ws, 4, 0, "Objective", f->bold);
    snprintf(buf, sizeof buf, "%s %s", plan->obj_sense > 0 ? "max" : "min", obj_kpi_name(plan));
    str(ws, 4, 1, buf, NULL);
    snprintf(buf, sizeof buf, "Objective value (%s)", mpi_kpi_unit(plan, plan->obj_kpi));
    str(ws, 5, 0, buf, f->bold);
    num(ws, 5, 1, sol->objective, f->dec);
    str(ws, 6, 0, "Status", f->bold);
    str(ws, 6, 1, mpi_result_str(sol->result), NULL);
    str(ws, 7, 0, "Curve tolerance", f->bold);
    num(ws, 7, 1, plan->precision, f->pct);

    int r = 9;
    static const char *const kh[] = {"KPI", "unit", "value"};
    heads(ws, r++, kh, 3, f->head);
    for (int q = 0; q < MPI_NKPI; q++) {
        str(ws, r, 0, mpi_kpi_names[q], NULL);
        str(ws, r, 1, mpi_kpi_unit(plan, q), NULL);
        num(ws, r, 2, sol->kpi[q], q == MPI_SPEND || q == MPI_REVENUE ? f->money : f->dec);
        r++;
    }
    str(ws, r, 0, "reach, de-duplicated across channels", NULL);
    str(ws, r, 1, "people", NULL);
    num(ws, r, 2, sol->reach_dedup, f->num);
    r += 2;

    snprintf(buf, sizeof buf, "spend (%s)", plan->currency);
    const char *ch_head[] = {"channel", "type", buf, "share of spend"};
    heads(ws, r++, ch_head, 4, f->head);
    int first = r;
    double total = sol->kpi[MPI_SPEND];
    for (size_t c = 0; c < plan->nch; c++, r++) {
        str(ws, r, 0, plan->ch[c].name, NULL);
        str(ws, r, 1, plan->ch[c].ops->media, NULL);
        num(ws, r, 2, MPI_CH_KPI(sol, c, MPI_SPEND), f->money);
        num(ws, r, 3, total > 0 ? MPI_CH_KPI(sol, c, MPI_SPEND) / total : 0, f->pct);
    }
    int last = r - 1;
    r++;
    double digital = 0;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].digital)
            digital += MPI_CH_KPI(sol, c, MPI_SPEND);
    const char *dh[] = {"media", "", buf, "share of spend"};
    heads(ws, r++, dh, 4, f->head);
    str(ws, r, 0, "digital", NULL);
    num(ws, r, 2, digital, f->money);
    num(ws, r, 3, total > 0 ? digital / total : 0, f->pct);
    r++;
    str(ws, r, 0, "offline", NULL);
    num(ws, r, 2, total - digital, f->money);
    num(ws, r, 3, total > 0 ? (total - digital) / total : 0, f->pct);

    lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_PIE);
    char cats[64], vals[64];
    snprintf(cats, sizeof cats, "=Summary!$A$%d:$A$%d", first + 1, last + 1);
    snprintf(vals, sizeof vals, "=Summary!$C$%d:$C$%d", first + 1, last + 1);
    chart_add_series(chart, cats, vals);
    chart_title_set_name(chart, "Spend by channel");
    worksheet_insert_chart(ws, 1, 5, chart);
}

static void sheet_plan(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Plan");
    int np = plan->periods;
    char buf[64];
    snprintf(buf, sizeof buf, "spend (%s) by period", plan->currency);
    str(ws, 0, 0, buf, f->bold);
    str(ws, 1, 0, "channel", f->head);
    str(ws, 1, 1, "type", f->head);
    for (int t = 0; t < np; t++) {
        char date[16];
        mpi_fmt_date(date, sizeof date, plan->period_start[t]);
        snprintf(buf, sizeof buf, "P%d %s", t + 1, date);
        str(ws, 1, 2 + t, buf, f->head);
    }
    str(ws, 1, 2 + np, "total", f->head);
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 2, (lxw_col_t)(2 + np), 14, NULL);
    char c0[8], c1[8], cf[256];
    col_letter(c0, sizeof c0, 2);
    col_letter(c1, sizeof c1, 1 + np);
    int r = 2;
    for (size_t c = 0; c < plan->nch; c++, r++) {
        str(ws, r, 0, plan->ch[c].name, NULL);
        str(ws, r, 1, plan->ch[c].ops->media, NULL);
        for (int t = 0; t < np; t++)
            num(ws, r, 2 + t, MPI_CP_KPI(sol, c, t, MPI_SPEND), f->money);
        snprintf(cf, sizeof cf, "=SUM(%s%d:%s%d)", c0, r + 1, c1, r + 1);
        worksheet_write_formula_num(ws, (lxw_row_t)r, (lxw_col_t)(2 + np), cf, f->money,
                                    MPI_CH_KPI(sol, c, MPI_SPEND));
    }
    str(ws, r, 0, "total", f->bold);
    for (int t = 0; t <= np; t++) {
        char cl[8];
        col_letter(cl, sizeof cl, 2 + t);
        double v = 0;
        for (size_t c = 0; c < plan->nch; c++)
            v += t < np ? MPI_CP_KPI(sol, c, t, MPI_SPEND) : MPI_CH_KPI(sol, c, MPI_SPEND);
        snprintf(cf, sizeof cf, "=SUM(%s3:%s%d)", cl, cl, r);
        worksheet_write_formula_num(ws, (lxw_row_t)r, (lxw_col_t)(2 + t), cf, f->money, v);
    }
    worksheet_freeze_panes(ws, 2, 2);
}

static void sheet_channels(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Channels");
    const char *cur = plan->currency;
    int rq = plan->obj_sense > 0 ? plan->obj_kpi : MPI_CONVERSIONS;
    char h[16][64];
    snprintf(h[0], 64, "channel");
    snprintf(h[1], 64, "type");
    snprintf(h[2], 64, "spend (%s)", cur);
    snprintf(h[3], 64, "impressions");
    snprintf(h[4], 64, "clicks");
    snprintf(h[5], 64, "conversions");
    snprintf(h[6], 64, "revenue (%s)", cur);
    snprintf(h[7], 64, "GRP");
    snprintf(h[8], 64, "reach (people)");
    snprintf(h[9], 64, "CO2e (kg)");
    snprintf(h[10], 64, "CPA (%s)", cur);
    snprintf(h[11], 64, "ROAS (revenue/spend)");
    snprintf(h[12], 64, "marginal return (%s per k%s)", rq == MPI_REVENUE ? cur : mpi_kpi_names[rq],
             cur);
    snprintf(h[13], 64, "CO2e factor (kg per unit)");
    snprintf(h[14], 64, "CO2e factor unit");
    snprintf(h[15], 64, "CO2e factor source");
    for (int c = 0; c < 16; c++)
        str(ws, 0, c, h[c], f->head);
    static const int cols[8] = {MPI_SPEND,   MPI_IMPRESSIONS, MPI_CLICKS, MPI_CONVERSIONS,
                                MPI_REVENUE, MPI_GRP,         MPI_REACH,  MPI_CO2};
    for (size_t c = 0; c < plan->nch; c++) {
        int r = (int)c + 1;
        const mpi_channel *ch = &plan->ch[c];
        str(ws, r, 0, ch->name, NULL);
        str(ws, r, 1, ch->ops->media, NULL);
        for (int k = 0; k < 8; k++)
            num(ws, r, 2 + k, MPI_CH_KPI(sol, c, cols[k]),
                cols[k] == MPI_SPEND || cols[k] == MPI_REVENUE ? f->money : f->dec);
        double s = MPI_CH_KPI(sol, c, MPI_SPEND), conv = MPI_CH_KPI(sol, c, MPI_CONVERSIONS);
        num(ws, r, 10, conv > 0 ? s / conv : NAN, f->dec);
        num(ws, r, 11, s > 0 ? MPI_CH_KPI(sol, c, MPI_REVENUE) / s : NAN, f->dec);
        num(ws, r, 12, sol->ch_marginal[c] * 1000, f->dec);
        num(ws, r, 13, ch->co2_per_unit, f->dec);
        str(ws, r, 14, ch->ops->co2_unit, NULL);
        str(ws, r, 15, ch->co2_source ? ch->co2_source : "none given (0)", NULL);
    }
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 2, 15, 16, NULL);
    worksheet_freeze_panes(ws, 1, 1);
}

static void sheet_keywords(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Keywords");
    const char *cur = plan->currency;
    char h[15][64];
    snprintf(h[0], 64, "channel");
    snprintf(h[1], 64, "keyword");
    snprintf(h[2], 64, "group");
    snprintf(h[3], 64, "bid (%s)", cur);
    snprintf(h[4], 64, "clicks");
    snprintf(h[5], 64, "cost (%s)", cur);
    snprintf(h[6], 64, "conversions");
    snprintf(h[7], 64, "impressions");
    snprintf(h[8], 64, "revenue (%s)", cur);
    snprintf(h[9], 64, "avg. monthly searches");
    snprintf(h[10], 64, "top of page bid low (%s)", cur);
    snprintf(h[11], 64, "top of page bid high (%s)", cur);
    snprintf(h[12], 64, "volume bucketed");
    snprintf(h[13], 64, "default bids");
    snprintf(h[14], 64, "source line");
    for (int c = 0; c < 15; c++)
        str(ws, 0, c, h[c], f->head);
    for (size_t k = 0; k < sol->nkw; k++) {
        const mpi_kw_result *kr = &sol->kw[k];
        const mpi_channel *ch = &plan->ch[kr->channel];
        const mpi_keyword *kwd = ch->ops->keyword(ch->params, kr->keyword);
        int r = (int)k + 1;
        str(ws, r, 0, ch->name, NULL);
        str(ws, r, 1, kwd->text, NULL);
        str(ws, r, 2, kwd->group, NULL);
        num(ws, r, 3, kr->bid, f->dec);
        num(ws, r, 4, kr->clicks, f->dec);
        num(ws, r, 5, kr->spend, f->money);
        num(ws, r, 6, kr->conversions, f->dec);
        num(ws, r, 7, kr->impressions, f->dec);
        num(ws, r, 8, kr->revenue, f->money);
        num(ws, r, 9, kwd->volume, f->num);
        num(ws, r, 10, kwd->bid_lo, f->dec);
        num(ws, r, 11, kwd->bid_hi, f->dec);
        str(ws, r, 12, kwd->flags & MPI_KW_BUCKETED ? "yes" : "no", NULL);
        str(ws, r, 13, kwd->flags & MPI_KW_DEFAULT_BIDS ? "yes" : "no", NULL);
        num(ws, r, 14, kwd->line, NULL);
    }
    worksheet_set_column(ws, 1, 1, 36, NULL);
    worksheet_set_column(ws, 3, 14, 14, NULL);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)(sol->nkw > 0 ? sol->nkw : 1), 14);
    worksheet_freeze_panes(ws, 1, 0);
}

static void sheet_groups(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Groups");
    char h[8][64];
    snprintf(h[0], 64, "channel");
    snprintf(h[1], 64, "group");
    snprintf(h[2], 64, "keywords");
    snprintf(h[3], 64, "spend (%s)", plan->currency);
    snprintf(h[4], 64, "clicks");
    snprintf(h[5], 64, "conversions");
    snprintf(h[6], 64, "revenue (%s)", plan->currency);
    snprintf(h[7], 64, "CPA (%s)", plan->currency);
    for (int c = 0; c < 8; c++)
        str(ws, 0, c, h[c], f->head);
    mpi_group_total *gt;
    size_t n;
    if (mpi_group_totals(sol, &gt, &n) != MP_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        int r = (int)i + 1;
        str(ws, r, 0, plan->ch[gt[i].channel].name, NULL);
        str(ws, r, 1, *gt[i].group ? gt[i].group : "(no group)", NULL);
        num(ws, r, 2, (double)gt[i].keywords, f->num);
        num(ws, r, 3, gt[i].spend, f->money);
        num(ws, r, 4, gt[i].clicks, f->dec);
        num(ws, r, 5, gt[i].conversions, f->dec);
        num(ws, r, 6, gt[i].revenue, f->money);
        num(ws, r, 7, gt[i].conversions > 0 ? gt[i].spend / gt[i].conversions : NAN, f->dec);
    }
    free(gt);
    worksheet_set_column(ws, 0, 1, 22, NULL);
    worksheet_set_column(ws, 2, 7, 14, NULL);
    worksheet_freeze_panes(ws, 1, 0);
}

static void sheet_constraints(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Constraints");
    static const char *const h[] = {"name",  "expression", "value",
                                    "bound", "binding",    "dual (objective per unit of bound)"};
    heads(ws, 0, h, 6, f->head);
    const mpi_lp *lp = &sol->model.lp;
    int r = 1;
    for (size_t i = 0; i < lp->nrows; i++) {
        const mpi_row *row = &lp->rows[i];
        if (row->kind == MPI_ROW_REACH_LINK)
            continue;
        int user = row->kind == MPI_ROW_CONSTRAINT;
        str(ws, r, 0, user ? plan->cons[row->ref].name : row->name, NULL);
        str(ws, r, 1, user ? plan->cons[row->ref].text : strchr(row->label, ':') + 2, NULL);
        num(ws, r, 2, sol->rows[i].value, f->dec);
        num(ws, r, 3, sol->rows[i].bound, f->dec);
        str(ws, r, 4, sol->rows[i].binding ? "yes" : "no", NULL);
        num(ws, r, 5, sol->rows[i].dual, f->dec);
        r++;
    }
    worksheet_set_column(ws, 0, 1, 30, NULL);
    worksheet_set_column(ws, 2, 5, 16, NULL);
}

static void sheet_assumptions(lxw_workbook *wb, const mp_solution *sol, const fmts *f)
{
    const mp_plan *plan = sol->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Assumptions");
    static const char *const h[] = {"section", "key", "value", "source file", "line"};
    heads(ws, 0, h, 5, f->head);
    int r = 1;
    for (size_t i = 0; i < plan->nkv; i++, r++) {
        str(ws, r, 0, plan->kv[i].section, NULL);
        str(ws, r, 1, plan->kv[i].key, NULL);
        str(ws, r, 2, plan->kv[i].value, NULL);
        str(ws, r, 3, plan->path, NULL);
        num(ws, r, 4, plan->kv[i].line, NULL);
    }
    r++;
    str(ws, r++, 0, "Datasets", f->bold);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        char line[256];
        if (ch->ops->keyword_source) {
            snprintf(line, sizeof line, "%zu keywords read", ch->ops->keyword_count(ch->params));
            str(ws, r, 0, ch->name, NULL);
            str(ws, r, 1, "keywords", NULL);
            str(ws, r, 2, line, NULL);
            str(ws, r++, 3, ch->ops->keyword_source(ch->params), NULL);
        }
        if (ch->resp.source) {
            str(ws, r, 0, ch->name, NULL);
            str(ws, r, 1, "response points", NULL);
            str(ws, r++, 3, ch->resp.source, NULL);
        }
        str(ws, r, 0, ch->name, NULL);
        str(ws, r, 1, "CO2e factor", NULL);
        snprintf(line, sizeof line, "%g kg per %s", ch->co2_per_unit, ch->ops->co2_unit);
        str(ws, r, 2, line, NULL);
        str(ws, r++, 3, ch->co2_source ? ch->co2_source : "none given (0)", NULL);
    }
    r++;
    str(ws, r++, 0, "Prices by period (inflation applied)", f->bold);
    static const char *const ph[] = {"channel", "unit cost",   "yearly rate",
                                     "period",  "price index", "unit cost in the period"};
    heads(ws, r++, ph, 6, f->head);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!ch->ops->cost_index || !ch->ops->unit_cost)
            continue;
        double base = ch->ops->unit_cost(ch->params);
        for (int t = 0; t < plan->periods; t++, r++) {
            double idx = ch->ops->cost_index(ch->params, &plan->mctx, ch, -1, t, ch->inflation);
            char date[16], what[64];
            mpi_fmt_date(date, sizeof date, plan->period_start[t]);
            snprintf(what, sizeof what, "%s (%s)", ch->ops->cost_name, plan->currency);
            str(ws, r, 0, ch->name, NULL);
            str(ws, r, 1, what, NULL);
            num(ws, r, 2, ch->inflation, f->pct);
            str(ws, r, 3, date, NULL);
            num(ws, r, 4, idx, f->dec);
            num(ws, r, 5, base * idx, f->dec);
        }
    }
    r++;
    str(ws, r++, 0, "Model notes", f->bold);
    char buf[512];
    snprintf(buf, sizeof buf,
             "Response curves are piecewise linear with adaptive breakpoints; maximum error "
             "%g %% of each curve's range.",
             plan->precision * 100);
    str(ws, r++, 0, buf, NULL);
    str(ws, r++, 0,
        "Search: competing bids log-normal through the Keyword Planner's top-of-page bids "
        "(20th and 80th percentiles), second-price auction.",
        NULL);
    str(ws, r++, 0,
        "Prices: a channel's costs scale by (1 + yearly rate)^years from its price "
        "date (search: the export's date range) to the middle of each period; for "
        "search the index shown is the lowest of the channel's keywords.",
        NULL);
    str(ws, r++, 0,
        "A search bid ceiling (max_cpc) is an amount of money and does not inflate: as "
        "competing bids rise it wins fewer auctions.",
        NULL);
    str(ws, r++, 0,
        "Reach per channel is counted once per channel (no cross-media de-duplication) "
        "except the de-duplicated figure on the Summary sheet.",
        NULL);
    if (plan->diag.warn.n) {
        r++;
        str(ws, r++, 0, "Warnings", f->bold);
        for (size_t i = 0; i < plan->diag.warn.n; i++)
            str(ws, r++, 0, plan->diag.warn.v[i], NULL);
    }
    worksheet_set_column(ws, 0, 1, 24, NULL);
    worksheet_set_column(ws, 2, 3, 40, NULL);
}

static void sheet_scenarios(lxw_workbook *wb, const mp_whatif *w, const fmts *f)
{
    const mp_plan *plan = w->plan;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Scenarios");
    const char *cur = plan->currency;
    const char *kpi = plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
                      : plan->obj_kpi == MPI_CO2 ? "co2"
                                                 : "cost";
    char buf[160];
    snprintf(buf, sizeof buf, "What-if: %zu scenarios against the plan as written", w->ns);
    str(ws, 0, 0, buf, f->title);
    /* the table: one row a scenario */
    int col = 0, hr = 2;
    for (size_t a = 0; a < w->nax; a++) {
        snprintf(buf, sizeof buf, "%s%s", w->ax[a].label, w->ax[a].pct ? " (%)" : "");
        str(ws, hr, col++, buf, f->head);
    }
    int c_status = col++;
    int c_obj = col++;
    int c_delta = col++;
    snprintf(buf, sizeof buf, "%s (%s)", kpi, mpi_kpi_unit(plan, plan->obj_kpi));
    str(ws, hr, c_status, "status", f->head);
    str(ws, hr, c_obj, buf, f->head);
    snprintf(buf, sizeof buf, "change of %s against the plan", kpi);
    str(ws, hr, c_delta, buf, f->head);
    int c_kpi = col;
    for (int q = 0; q < MPI_NKPI; q++) {
        snprintf(buf, sizeof buf, "%s (%s)", mpi_kpi_names[q], mpi_kpi_unit(plan, q));
        str(ws, hr, col++, buf, f->head);
    }
    int c_ch = col;
    for (size_t c = 0; c < plan->nch; c++) {
        snprintf(buf, sizeof buf, "spend %s (%s)", plan->ch[c].name, cur);
        str(ws, hr, col++, buf, f->head);
    }
    int c_chshare = col;
    for (size_t c = 0; c < plan->nch; c++) {
        snprintf(buf, sizeof buf, "share %s", plan->ch[c].name);
        str(ws, hr, col++, buf, f->head);
    }
    /* where the money moves */
    int c_chdelta = col;
    for (size_t c = 0; c < plan->nch; c++) {
        snprintf(buf, sizeof buf, "change of spend %s against the plan (%s)", plan->ch[c].name,
                 cur);
        str(ws, hr, col++, buf, f->head);
    }
    int c_media = col;
    for (int m = 0; m < (int)mpi_media_count(); m++) {
        snprintf(buf, sizeof buf, "share %s", mpi_media_name((size_t)m));
        str(ws, hr, col++, buf, f->head);
    }
    int c_marg = col++;
    snprintf(buf, sizeof buf, "marginal return (%s per k%s of budget)", kpi, cur);
    str(ws, hr, c_marg, buf, f->head);
    int c_expl = col++;
    str(ws, hr, c_expl, "explanation", f->head);
    double base_obj = w->base->objective;
    int base_ok = w->base->result == MP_RESULT_OPTIMAL || w->base->result == MP_RESULT_TIME_LIMIT;
    for (size_t i = 0; i < w->ns; i++) {
        const mpi_scen *s = &w->s[i];
        int r = hr + 1 + (int)i;
        for (size_t a = 0; a < w->nax; a++)
            num(ws, r, (int)a, w->ax[a].values[s->idx[a]], w->ax[a].pct ? f->pct : f->dec);
        str(ws, r, c_status, mpi_result_str(s->result), NULL);
        if (!mpi_scen_solved(s)) {
            str(ws, r, c_expl, s->explain ? s->explain : "", NULL);
            continue;
        }
        num(ws, r, c_obj, s->objective, f->dec);
        num(ws, r, c_delta, base_ok ? s->objective - base_obj : NAN, f->dec);
        for (int q = 0; q < MPI_NKPI; q++)
            num(ws, r, c_kpi + q, s->kpi[q], f->dec);
        for (size_t c = 0; c < plan->nch; c++) {
            num(ws, r, c_ch + (int)c, s->spend[c], f->money);
            num(ws, r, c_chshare + (int)c,
                s->kpi[MPI_SPEND] > 0 ? s->spend[c] / s->kpi[MPI_SPEND] : 0, f->pct);
            num(ws, r, c_chdelta + (int)c,
                base_ok ? s->spend[c] - MPI_CH_KPI(w->base, c, MPI_SPEND) : NAN, f->money);
        }
        for (int m = 0; m < (int)mpi_media_count(); m++)
            num(ws, r, c_media + m, s->kpi[MPI_SPEND] > 0 ? s->media[m] / s->kpi[MPI_SPEND] : 0,
                f->pct);
        num(ws, r, c_marg, s->marginal * 1000, f->dec);
    }
    int last = hr + (int)w->ns;
    char cl[8], rng[96], cats[96];
    col_letter(cl, sizeof cl, 0);
    /* charts against the first axis */
    lxw_chart *line = workbook_add_chart(wb, LXW_CHART_LINE);
    lxw_chart *stack = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED_PERCENT);
    if (w->nax == 1) {
        snprintf(cats, sizeof cats, "=Scenarios!$A$%d:$A$%d", hr + 2, last + 1);
        char oc[8];
        col_letter(oc, sizeof oc, c_obj);
        snprintf(rng, sizeof rng, "=Scenarios!$%s$%d:$%s$%d", oc, hr + 2, oc, last + 1);
        lxw_chart_series *se = chart_add_series(line, cats, rng);
        chart_series_set_name(se, kpi);
        for (int m = 0; m < (int)mpi_media_family_count(); m++) {
            char mc[8];
            col_letter(mc, sizeof mc, c_media + m);
            snprintf(rng, sizeof rng, "=Scenarios!$%s$%d:$%s$%d", mc, hr + 2, mc, last + 1);
            se = chart_add_series(stack, cats, rng);
            chart_series_set_name(se, mpi_media_name((size_t)m));
        }
    } else {
        /* a grid: a pivot of the objective (axis 1 down, axis 2 across) with a
         * heat-map format, one line per value of axis 2 */
        int pr = last + 3;
        snprintf(buf, sizeof buf, "%s by %s (rows) and %s (columns)", kpi, w->ax[0].label,
                 w->ax[1].label);
        str(ws, pr - 1, 0, buf, f->bold);
        str(ws, pr, 0, w->ax[0].label, f->head);
        for (size_t j = 0; j < w->ax[1].n; j++)
            num(ws, pr, 1 + (int)j, w->ax[1].values[j], w->ax[1].pct ? f->pct : f->dec);
        for (size_t i = 0; i < w->ax[0].n; i++) {
            num(ws, pr + 1 + (int)i, 0, w->ax[0].values[i], w->ax[0].pct ? f->pct : f->dec);
            for (size_t j = 0; j < w->ax[1].n; j++) {
                const mpi_scen *s = &w->s[i * w->ax[1].n + j];
                if (mpi_scen_solved(s))
                    num(ws, pr + 1 + (int)i, 1 + (int)j, s->objective, f->dec);
                else
                    str(ws, pr + 1 + (int)i, 1 + (int)j, mpi_result_str(s->result), NULL);
            }
        }
        int pl = pr + (int)w->ax[0].n;
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_3_COLOR_SCALE};
        worksheet_conditional_format_range(ws, (lxw_row_t)(pr + 1), 1, (lxw_row_t)pl,
                                           (lxw_col_t)w->ax[1].n, &cf);
        snprintf(cats, sizeof cats, "=Scenarios!$A$%d:$A$%d", pr + 2, pl + 1);
        for (size_t j = 0; j < w->ax[1].n && j < 32; j++) {
            char pc[8];
            col_letter(pc, sizeof pc, 1 + (int)j);
            snprintf(rng, sizeof rng, "=Scenarios!$%s$%d:$%s$%d", pc, pr + 2, pc, pl + 1);
            lxw_chart_series *se = chart_add_series(line, cats, rng);
            snprintf(buf, sizeof buf, "=Scenarios!$%s$%d", pc, pr + 1);
            chart_series_set_name(se, buf);
        }
        /* media shares along axis 1 at the first value of axis 2 */
        int mr = pl + 3;
        snprintf(buf, sizeof buf, "share of spend by media along %s (%s at its first value)",
                 w->ax[0].label, w->ax[1].label);
        str(ws, mr - 1, 0, buf, f->bold);
        str(ws, mr, 0, w->ax[0].label, f->head);
        for (int m = 0; m < (int)mpi_media_family_count(); m++)
            str(ws, mr, 1 + m, mpi_media_name((size_t)m), f->head);
        for (size_t i = 0; i < w->ax[0].n; i++) {
            const mpi_scen *s = &w->s[i * w->ax[1].n];
            num(ws, mr + 1 + (int)i, 0, w->ax[0].values[i], w->ax[0].pct ? f->pct : f->dec);
            for (int m = 0; m < (int)mpi_media_family_count() && mpi_scen_solved(s); m++)
                num(ws, mr + 1 + (int)i, 1 + m,
                    s->kpi[MPI_SPEND] > 0 ? s->media[m] / s->kpi[MPI_SPEND] : 0, f->pct);
        }
        snprintf(cats, sizeof cats, "=Scenarios!$A$%d:$A$%d", mr + 2, mr + 1 + (int)w->ax[0].n);
        for (int m = 0; m < (int)mpi_media_family_count(); m++) {
            char mc[8];
            col_letter(mc, sizeof mc, 1 + m);
            snprintf(rng, sizeof rng, "=Scenarios!$%s$%d:$%s$%d", mc, mr + 2, mc,
                     mr + 1 + (int)w->ax[0].n);
            lxw_chart_series *se = chart_add_series(stack, cats, rng);
            chart_series_set_name(se, mpi_media_name((size_t)m));
        }
    }
    snprintf(buf, sizeof buf, "%s against %s", kpi, w->ax[0].label);
    chart_title_set_name(line, buf);
    chart_axis_set_name(line->x_axis, w->ax[0].label);
    chart_axis_set_name(line->y_axis, mpi_kpi_unit(plan, plan->obj_kpi));
    snprintf(buf, sizeof buf, "share of spend by media against %s", w->ax[0].label);
    chart_title_set_name(stack, buf);
    worksheet_insert_chart(ws, 0, (lxw_col_t)(c_expl + 2), line);
    worksheet_insert_chart(ws, 18, (lxw_col_t)(c_expl + 2), stack);
    worksheet_freeze_panes(ws, (lxw_row_t)(hr + 1), (lxw_col_t)w->nax);
    worksheet_set_column(ws, 0, (lxw_col_t)c_expl, 14, NULL);
}

/* The plan's sheets, and with w the Scenarios sheet. */
static mp_status write_workbook(const mp_solution *sol, const mp_whatif *w, const char *path)
{
    mpi_clear_error();
    int solved = sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT;
    if (!solved && !w)
        return mpi_fail(MP_ERR_INPUT, "no plan to write: the plan is %s",
                        mpi_result_str(sol->result));
    char *tmp = NULL;
    mp_status st = mpi_atomic_begin(path, &tmp);
    if (st != MP_OK)
        return st;
    /* Rows are written in order, so libxlsxwriter can stream them to disk. */
    lxw_workbook_options wopts = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(tmp, &wopts);
    if (!wb) {
        mpi_atomic_end(tmp, path, 0);
        free(tmp);
        return mpi_fail(MP_ERR_IO, "%s: cannot create the workbook", path);
    }
    fmts f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_bottom(f.head, LXW_BORDER_THIN);
    format_set_text_wrap(f.head);
    f.money = workbook_add_format(wb);
    format_set_num_format(f.money, "#,##0");
    f.num = workbook_add_format(wb);
    format_set_num_format(f.num, "#,##0");
    f.dec = workbook_add_format(wb);
    format_set_num_format(f.dec, "#,##0.00");
    f.pct = workbook_add_format(wb);
    format_set_num_format(f.pct, "0.0%");
    f.wrap = workbook_add_format(wb);
    format_set_text_wrap(f.wrap);
    char comments[64];
    snprintf(comments, sizeof comments, "Written by mixplan %s", mp_version());
    workbook_set_properties(wb, &(lxw_doc_properties){.title = sol->plan->name,
                                                      .company = sol->plan->client,
                                                      .comments = comments});
    if (solved) {
        sheet_summary(wb, sol, &f);
        sheet_plan(wb, sol, &f);
        sheet_channels(wb, sol, &f);
        sheet_keywords(wb, sol, &f);
        sheet_groups(wb, sol, &f);
        sheet_constraints(wb, sol, &f);
        sheet_assumptions(wb, sol, &f);
    }
    if (w)
        sheet_scenarios(wb, w, &f);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        mpi_atomic_end(tmp, path, 0);
        free(tmp);
        return mpi_fail(MP_ERR_IO, "%s: cannot write the workbook: %s", path, lxw_strerror(err));
    }
    st = mpi_atomic_end(tmp, path, 1);
    free(tmp);
    return st;
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
