/* The JSON result (cJSON adapter): an interface for pipelines, documented in
 * the README. Every figure equals the workbook's. */
#include "whatif.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *kpi_object(const mp_plan *plan, const double *v)
{
    (void)plan;
    cJSON *o = cJSON_CreateObject();
    for (int q = 0; o && q < MPI_NKPI; q++)
        add_num(o, mpi_kpi_names[q], v[q]);
    return o;
}

static cJSON *plan_object(const mp_plan *plan)
{
    cJSON *p = cJSON_CreateObject();
    char date[16];
    mpi_fmt_date(date, sizeof date, plan->start);
    cJSON_AddStringToObject(p, "name", plan->name);
    cJSON_AddStringToObject(p, "client", plan->client);
    cJSON_AddStringToObject(p, "file", plan->path);
    cJSON_AddStringToObject(p, "currency", plan->currency);
    add_num(p, "budget", plan->budget);
    cJSON_AddStringToObject(p, "budget_mode", plan->budget_exact ? "exact" : "cap");
    cJSON_AddStringToObject(p, "start", date);
    cJSON_AddNumberToObject(p, "periods", plan->periods);
    cJSON_AddStringToObject(p, "period", plan->period_kind == MPI_WEEK ? "week" : "month");
    char obj[48];
    snprintf(obj, sizeof obj, "%s %s", plan->obj_sense > 0 ? "max" : "min",
             plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
             : plan->obj_kpi == MPI_CO2 ? "co2"
                                        : "cost");
    cJSON_AddStringToObject(p, "objective", obj);
    add_num(p, "precision", plan->precision);
    add_num(p, "universe", plan->universe > 0 ? plan->universe : NAN);
    return p;
}

/* Build the whole result document; NULL on OOM. */
static cJSON *result_doc(const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddItemToObject(root, "plan", plan_object(plan));
    cJSON_AddStringToObject(root, "status", mpi_result_str(sol->result));
    cJSON *obj = cJSON_AddObjectToObject(root, "objective");
    cJSON_AddStringToObject(obj, "kpi",
                            plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
                            : plan->obj_kpi == MPI_CO2 ? "co2"
                                                       : "cost");
    cJSON_AddStringToObject(obj, "sense", plan->obj_sense > 0 ? "max" : "min");
    cJSON_AddStringToObject(obj, "unit", mpi_kpi_unit(plan, plan->obj_kpi));
    int solved = sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT;
    add_num(obj, "value", solved ? sol->objective : NAN);
    if (sol->explain)
        cJSON_AddStringToObject(root, "explanation", sol->explain);
    cJSON *warn = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; i < plan->diag.warn.n; i++)
        cJSON_AddItemToArray(warn, cJSON_CreateString(plan->diag.warn.v[i]));
    if (!solved)
        return root;
    cJSON_AddItemToObject(root, "kpis", kpi_object(plan, sol->kpi));
    add_num(cJSON_GetObjectItem(root, "kpis"), "reach_dedup", sol->reach_dedup);
    double total = sol->kpi[MPI_SPEND], digital = 0;
    cJSON *media = cJSON_AddObjectToObject(root, "media");
    for (size_t m = 0; m < mpi_media_family_count(); m++) {
        double s = 0;
        for (size_t c = 0; c < plan->nch; c++)
            if (mpi_media_of(&plan->ch[c]) == m)
                s += MPI_CH_KPI(sol, c, MPI_SPEND);
        add_num(media, mpi_media_name(m), s);
    }
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].digital)
            digital += MPI_CH_KPI(sol, c, MPI_SPEND);
    add_num(media, "digital", digital);
    add_num(media, "offline", total - digital);
    cJSON *chans = cJSON_AddArrayToObject(root, "channels");
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(chans, o);
        cJSON_AddStringToObject(o, "name", ch->name);
        cJSON_AddStringToObject(o, "type", ch->ops->type);
        cJSON_AddBoolToObject(o, "digital", ch->digital);
        add_num(o, "spend", MPI_CH_KPI(sol, c, MPI_SPEND));
        add_num(o, "share", total > 0 ? MPI_CH_KPI(sol, c, MPI_SPEND) / total : 0);
        add_num(o, "marginal_return", sol->ch_marginal[c]);
        cJSON_AddItemToObject(o, "kpis", kpi_object(plan, &MPI_CH_KPI(sol, c, 0)));
        cJSON *pers = cJSON_AddArrayToObject(o, "periods");
        for (int t = 0; t < plan->periods; t++) {
            cJSON *po = cJSON_CreateObject();
            cJSON_AddItemToArray(pers, po);
            char date[16];
            mpi_fmt_date(date, sizeof date, plan->period_start[t]);
            cJSON_AddNumberToObject(po, "period", t + 1);
            cJSON_AddStringToObject(po, "start", date);
            add_num(po, "spend", MPI_CP_KPI(sol, c, t, MPI_SPEND));
            double v[MPI_NKPI];
            for (int q = 0; q < MPI_NKPI; q++)
                v[q] = MPI_CP_KPI(sol, c, t, q);
            v[MPI_REACH] = NAN; /* reach is a campaign figure, not a sum of periods */
            cJSON_AddItemToObject(po, "kpis", kpi_object(plan, v));
        }
    }
    cJSON *kws = cJSON_AddArrayToObject(root, "keywords");
    for (size_t k = 0; k < sol->nkw; k++) {
        const mpi_kw_result *kr = &sol->kw[k];
        const mpi_channel *ch = &plan->ch[kr->channel];
        const mpi_keyword *kwd = ch->ops->keyword(ch->params, kr->keyword);
        int flags = kwd->flags;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(kws, o);
        cJSON_AddStringToObject(o, "channel", ch->name);
        cJSON_AddStringToObject(o, "keyword", kwd->text);
        cJSON_AddStringToObject(o, "group", kwd->group);
        add_num(o, "monthly_searches", kwd->volume);
        add_num(o, "bid_low", kwd->bid_lo);
        add_num(o, "bid_high", kwd->bid_hi);
        add_num(o, "competition", kwd->competition >= 0 ? kwd->competition : NAN);
        add_num(o, "bid", kr->bid);
        add_num(o, "spend", kr->spend);
        add_num(o, "impressions", kr->impressions);
        add_num(o, "clicks", kr->clicks);
        add_num(o, "conversions", kr->conversions);
        add_num(o, "revenue", kr->revenue);
        cJSON_AddBoolToObject(o, "bucketed_volume", (flags & MPI_KW_BUCKETED) != 0);
        cJSON_AddBoolToObject(o, "default_bids", (flags & MPI_KW_DEFAULT_BIDS) != 0);
    }
    mpi_group_total *gt;
    size_t ng;
    if (mpi_group_totals(sol, &gt, &ng) == MP_OK) {
        cJSON *groups = cJSON_AddArrayToObject(root, "groups");
        for (size_t i = 0; i < ng; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToArray(groups, o);
            cJSON_AddStringToObject(o, "channel", plan->ch[gt[i].channel].name);
            cJSON_AddStringToObject(o, "group", gt[i].group);
            cJSON_AddNumberToObject(o, "keywords", (double)gt[i].keywords);
            add_num(o, "spend", gt[i].spend);
            add_num(o, "clicks", gt[i].clicks);
            add_num(o, "conversions", gt[i].conversions);
            add_num(o, "revenue", gt[i].revenue);
            add_num(o, "cpa", gt[i].conversions > 0 ? gt[i].spend / gt[i].conversions : NAN);
        }
        free(gt);
    }
    cJSON *cons = cJSON_AddArrayToObject(root, "constraints");
    const mpi_lp *lp = &sol->model.lp;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (row->kind == MPI_ROW_REACH_LINK)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(cons, o);
        int user = row->kind == MPI_ROW_CONSTRAINT;
        cJSON_AddStringToObject(o, "name", user ? plan->cons[row->ref].name : row->name);
        cJSON_AddStringToObject(o, "expr",
                                user ? plan->cons[row->ref].text : strchr(row->label, ':') + 2);
        cJSON_AddStringToObject(o, "op", mpi_op_str(row->op));
        add_num(o, "value", sol->rows[r].value);
        add_num(o, "bound", sol->rows[r].bound);
        cJSON_AddBoolToObject(o, "binding", sol->rows[r].binding);
        add_num(o, "dual", sol->rows[r].dual);
    }
    return root;
}

/* The text of doc, which is freed; NULL when out of memory. */
static char *doc_text(cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    return text;
}

/* Print doc to out; frees doc. */
static mp_status write_doc_to(cJSON *doc, FILE *out)
{
    char *text = doc_text(doc);
    if (!text)
        return mpi_fail(MP_ERR_NOMEM, "out of memory writing JSON");
    mp_status st = MP_OK;
    if (fputs(text, out) < 0 || fputs("\n", out) < 0 || fflush(out) != 0)
        st = mpi_fail(MP_ERR_IO, "cannot write JSON to the stream");
    cJSON_free(text);
    return st;
}

/* Print doc to path atomically; frees doc. */
static mp_status write_doc(cJSON *doc, const char *path)
{
    char *text = doc_text(doc);
    if (!text)
        return mpi_fail(MP_ERR_NOMEM, "out of memory writing JSON");
    char *tmp = NULL;
    mp_status st = mpi_atomic_begin(path, &tmp);
    if (st == MP_OK) {
        FILE *f = fopen(tmp, "wb");
        int ok = f && fputs(text, f) >= 0 && fputs("\n", f) >= 0;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok)
            st = mpi_fail(MP_ERR_IO, "%s: write failed", path);
        mp_status st2 = mpi_atomic_end(tmp, path, ok);
        if (st == MP_OK)
            st = st2;
        free(tmp);
    }
    cJSON_free(text);
    return st;
}

mp_status mp_solution_write_json(const mp_solution *sol, const char *path)
{
    mpi_clear_error();
    if (!sol || !path)
        return mpi_fail(MP_ERR_INPUT, "no solution or no path to write JSON to");
    return write_doc(result_doc(sol), path);
}

mp_status mp_solution_write_json_to(const mp_solution *sol, FILE *out)
{
    mpi_clear_error();
    if (!sol || !out)
        return mpi_fail(MP_ERR_INPUT, "no solution or no stream to write JSON to");
    return write_doc_to(result_doc(sol), out);
}

static cJSON *media_object(const double *media)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t m = 0; o && m < mpi_media_count(); m++)
        add_num(o, mpi_media_name(m), media[m]);
    return o;
}

static cJSON *whatif_doc(const mp_whatif *w)
{
    const mp_plan *plan = w->plan;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddItemToObject(root, "base", result_doc(w->base));
    cJSON *axes = cJSON_AddArrayToObject(root, "axes");
    for (size_t a = 0; a < w->nax; a++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(axes, o);
        cJSON_AddStringToObject(o, "name", w->ax[a].label);
        cJSON_AddStringToObject(o, "unit", w->ax[a].pct ? "fraction" : "value");
        cJSON *vals = cJSON_AddArrayToObject(o, "values");
        for (size_t i = 0; i < w->ax[a].n; i++)
            cJSON_AddItemToArray(vals, cJSON_CreateNumber(w->ax[a].values[i]));
    }
    int base_ok = w->base->result == MP_RESULT_OPTIMAL || w->base->result == MP_RESULT_TIME_LIMIT;
    double base_media[MPI_MAX_MEDIA] = {0};
    if (base_ok)
        mpi_media_split(w->base, base_media);
    const char *kpi = plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
                      : plan->obj_kpi == MPI_CO2 ? "co2"
                                                 : "cost";
    cJSON *scs = cJSON_AddArrayToObject(root, "scenarios");
    for (size_t i = 0; i < w->ns; i++) {
        const mpi_scen *s = &w->s[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(scs, o);
        cJSON *params = cJSON_AddObjectToObject(o, "params");
        for (size_t a = 0; a < w->nax; a++)
            add_num(params, w->ax[a].label, w->ax[a].values[s->idx[a]]);
        cJSON_AddStringToObject(o, "status", mpi_result_str(s->result));
        if (s->explain)
            cJSON_AddStringToObject(o, "explanation", s->explain);
        int ok = mpi_scen_solved(s);
        cJSON *obj = cJSON_AddObjectToObject(o, "objective");
        cJSON_AddStringToObject(obj, "kpi", kpi);
        add_num(obj, "value", ok ? s->objective : NAN);
        if (!ok)
            continue;
        cJSON_AddItemToObject(o, "kpis", kpi_object(plan, s->kpi));
        cJSON *chans = cJSON_AddArrayToObject(o, "channels");
        for (size_t c = 0; c < plan->nch; c++) {
            cJSON *co = cJSON_CreateObject();
            cJSON_AddItemToArray(chans, co);
            cJSON_AddStringToObject(co, "name", plan->ch[c].name);
            add_num(co, "spend", s->spend[c]);
            add_num(co, "share", s->kpi[MPI_SPEND] > 0 ? s->spend[c] / s->kpi[MPI_SPEND] : 0);
        }
        cJSON_AddItemToObject(o, "media", media_object(s->media));
        add_num(o, "marginal_return", s->marginal);
        if (!base_ok)
            continue;
        cJSON *delta = cJSON_AddObjectToObject(o, "delta");
        add_num(delta, "objective", s->objective - w->base->objective);
        cJSON *dch = cJSON_AddArrayToObject(delta, "channels");
        for (size_t c = 0; c < plan->nch; c++) {
            cJSON *co = cJSON_CreateObject();
            cJSON_AddItemToArray(dch, co);
            cJSON_AddStringToObject(co, "name", plan->ch[c].name);
            add_num(co, "spend", s->spend[c] - MPI_CH_KPI(w->base, c, MPI_SPEND));
        }
        double dm[MPI_MAX_MEDIA];
        for (size_t m = 0; m < mpi_media_count(); m++)
            dm[m] = s->media[m] - base_media[m];
        cJSON_AddItemToObject(delta, "media", media_object(dm));
    }
    return root;
}

mp_status mp_whatif_write_json(const mp_whatif *w, const char *path)
{
    mpi_clear_error();
    if (!w || !path)
        return mpi_fail(MP_ERR_INPUT, "no what-if run or no path to write JSON to");
    return write_doc(whatif_doc(w), path);
}

mp_status mp_whatif_write_json_to(const mp_whatif *w, FILE *out)
{
    mpi_clear_error();
    if (!w || !out)
        return mpi_fail(MP_ERR_INPUT, "no what-if run or no stream to write JSON to");
    return write_doc_to(whatif_doc(w), out);
}
