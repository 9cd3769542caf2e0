/* Direct-response curves imported from MMM tools: hill, exp, logistic,
 * michaelis-menten and tables of points. S-shaped curves are replaced by their
 * concave envelope (with a warning), so that the LP stays a faithful model. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

const char *const mpi_resp_keys[] = {"response",   "curve",      "beta",   "ec",    "slope",
                                     "k",          "response_k", "lambda", "scale", "points",
                                     "kpi",        "value",      "draws",  "robyn", "robyn_channel",
                                     "robyn_data", NULL};

static const char *const family_names[] = {"",     "hill", "exp", "logistic", "michaelis-menten",
                                           "table"};

static int family_find(const char *s)
{
    for (int f = 1; f <= MPI_FAM_TABLE; f++)
        if (mpi_strieq(s, family_names[f]))
            return f;
    return MPI_FAM_NONE;
}

/* The (spend, response) rows of a points table into r's table, after the
 * point (0, 0); a first row that is not a number is a header. */
static mp_status table_points(mpi_resp *r, const mpi_table *t)
{
    mpi_loc tl = {r->source, 0, NULL};
    for (size_t i = 0; i < t->nrows; i++) {
        if (t->ncols[i] < 2)
            continue;
        double x, y;
        const char *why;
        tl.line = t->line[i];
        if (mpi_parse_num(t->rows[i][0], MPI_U_KM, NULL, &x, &why) != 0) {
            if (i == 0)
                continue; /* a header row */
            return mpi_fail_at(MP_ERR_INPUT, &tl, N_("spend: %s"), why);
        }
        if (mpi_parse_num(t->rows[i][1], MPI_U_KM, NULL, &y, &why) != 0 || y < 0)
            return mpi_fail_at(MP_ERR_INPUT, &tl, N_("response: expected a non-negative number"));
        if (x == 0 && y == 0)
            continue;
        if (!(x > r->tx[r->tn - 1]) || y < r->ty[r->tn - 1])
            return mpi_fail_at(MP_ERR_INPUT, &tl,
                               N_("points must rise in spend and not fall in response"));
        r->tx[r->tn] = x;
        r->ty[r->tn] = y;
        r->tn++;
    }
    return MP_OK;
}

/* points = FILE: a table of (spend, response) points, relative to the plan. */
static mp_status read_points(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_loc *loc,
                             const char *value)
{
    free(r->source);
    r->source = mpi_model_path(ctx, value);
    if (!r->source)
        return mpi_nomem();
    mpi_table t;
    mp_status st = ctx->io->read_table(ctx, r->source, 0, &t);
    if (st != MP_OK)
        return mpi_fail_at(st, loc, "%s", mp_last_error());
    if (t.note)
        st = mpi_note(ctx->diag, "%s", t.note);
    free(r->tx);
    free(r->ty);
    r->tn = 0;
    r->tx = mpi_calloc(t.nrows + 1, sizeof(double));
    r->ty = mpi_calloc(t.nrows + 1, sizeof(double));
    if ((!r->tx || !r->ty) && st == MP_OK)
        st = mpi_nomem();
    if (st == MP_OK) {
        r->tx[0] = r->ty[0] = 0;
        r->tn = 1;
        st = table_points(r, &t);
    }
    mpi_table_free(&t);
    if (st == MP_OK && r->tn < 2)
        st = mpi_fail_at(MP_ERR_INPUT, loc, N_("%s has no (spend, response) points"), r->source);
    return st;
}

static mp_status set_family(mpi_resp *r, const mpi_loc *loc, const char *value)
{
    r->family = family_find(value);
    if (r->family == MPI_FAM_NONE)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("unknown curve \"%s\" (expected hill, exp, logistic, "
                              "michaelis-menten or table)"),
                           value);
    r->line = loc->line;
    return MP_OK;
}

mp_status mpi_resp_set(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *value,
                       int *taken)
{
    const char *key = loc->key;
    const char *cur = ctx->currency;
    mp_status st = mpi_robyn_set(r, ctx, loc, value, taken);
    if (st != MP_OK || *taken)
        return st;
    *taken = 1;
    if (!strcmp(key, "response") || !strcmp(key, "curve"))
        return set_family(r, loc, value);
    if (!strcmp(key, "beta"))
        return mpi_get_pos(value, MPI_U_KM, NULL, loc, &r->beta);
    if (!strcmp(key, "ec"))
        return mpi_check_limit(mpi_get_pos(value, MPI_U_KM | MPI_U_CUR, cur, loc, &r->ec), loc,
                               &r->ec, &mpi_limit_curve_scale, cur);
    if (!strcmp(key, "slope"))
        return mpi_get_pos(value, 0, NULL, loc, &r->slope);
    if (!strcmp(key, "k") || !strcmp(key, "response_k"))
        return mpi_check_limit(mpi_get_pos(value, MPI_U_KM | MPI_U_CUR, cur, loc, &r->k), loc,
                               &r->k, &mpi_limit_curve_scale, cur);
    if (!strcmp(key, "lambda"))
        return mpi_get_pos(value, 0, NULL, loc, &r->lambda);
    if (!strcmp(key, "scale"))
        return mpi_check_limit(mpi_get_pos(value, MPI_U_KM | MPI_U_CUR, cur, loc, &r->scale), loc,
                               &r->scale, &mpi_limit_curve_scale, cur);
    if (!strcmp(key, "value"))
        return mpi_get_pos(value, MPI_U_CUR, cur, loc, &r->value);
    if (!strcmp(key, "kpi")) {
        if (mpi_strieq(value, "conversions"))
            r->kpi = MPI_CONVERSIONS;
        else if (mpi_strieq(value, "revenue"))
            r->kpi = MPI_REVENUE;
        else
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("a response curve gives conversions or revenue, not \"%s\""),
                               value);
        return MP_OK;
    }
    if (!strcmp(key, "points"))
        return read_points(r, ctx, loc, value);
    if (!strcmp(key, "draws")) {
        free(r->draws_path);
        r->draws_path = mpi_model_path(ctx, value);
        r->draws_line = loc->line;
        return r->draws_path ? MP_OK : mpi_nomem();
    }
    *taken = 0;
    return MP_OK;
}

static double raw_eval(const mpi_resp *r, double x)
{
    if (x <= 0)
        return 0;
    switch (r->family) {
    case MPI_FAM_HILL: {
        /* pow(u, 1) is u exactly: the common slope of 1 skips the call */
        double a = r->slope == 1 ? x / r->ec : pow(x / r->ec, r->slope);
        return r->beta * a / (1 + a);
    }
    case MPI_FAM_EXP: return r->beta * -expm1(-x / r->k);
    case MPI_FAM_LOGISTIC: {
        double e = exp(-r->lambda * x / r->scale);
        return r->beta * (1 - e) / (1 + e);
    }
    case MPI_FAM_MM: return r->beta * x / (r->k + x);
    case MPI_FAM_TABLE: {
        if (x >= r->tx[r->tn - 1])
            return r->ty[r->tn - 1];
        size_t lo = 0, hi = r->tn - 1;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (r->tx[mid] <= x)
                lo = mid;
            else
                hi = mid;
        }
        double t = (x - r->tx[lo]) / (r->tx[hi] - r->tx[lo]);
        return r->ty[lo] + t * (r->ty[hi] - r->ty[lo]);
    }
    }
    return 0;
}

/* Tangent point of the concave envelope: below it the envelope is the chord
 * from the origin. 0 when the curve is concave already. */
static double envelope_point(const mpi_resp *r)
{
    if (r->family == MPI_FAM_HILL && r->slope > 1)
        return r->ec * pow(r->slope - 1, 1 / r->slope);
    return 0;
}

const double *mpi_resp_kinks(const mpi_resp *r, size_t *n)
{
    if (r->family == MPI_FAM_TABLE && r->tn > 1) {
        *n = r->tn - 1;
        return r->tx + 1;
    }
    *n = 0;
    return NULL;
}

static double eval_one(const mpi_resp *r, double x)
{
    double xs = envelope_point(r);
    if (xs > 0 && x < xs)
        return raw_eval(r, xs) * x / xs;
    return raw_eval(r, x);
}

/* With draws, the weighted mean of the draws' curves (each its own concave
 * envelope): the expected response, concave as each draw's is; draws that
 * share their shape summed as one curve (groups). */
double mpi_resp_eval(const mpi_resp *r, double x)
{
    if (!r->nd || r->family == MPI_FAM_NONE)
        return eval_one(r, x);
    double y = 0;
    for (size_t g = 0; g < r->ng; g++)
        y += eval_one(&r->grp[g], x);
    for (size_t d = 0; !r->ng && d < r->nd; d++)
        y += r->dw[d] * eval_one(&r->dr[d], x);
    return y;
}

/* Whether draws p and q differ in more than beta. */
static int by_shape_differs(const mpi_resp *p, const mpi_resp *q)
{
    return p->ec != q->ec || p->slope != q->slope || p->k != q->k || p->lambda != q->lambda ||
           p->scale != q->scale || p->value != q->value;
}

/* Order of draws by their shape (every number but beta), then position. */
static int by_shape(const void *a, const void *b)
{
    const mpi_resp *p = *(const mpi_resp *const *)a, *q = *(const mpi_resp *const *)b;
    const double u[] = {p->ec, p->slope, p->k, p->lambda, p->scale, p->value};
    const double v[] = {q->ec, q->slope, q->k, q->lambda, q->scale, q->value};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (u[i] != v[i])
            return u[i] < v[i] ? -1 : 1;
    return p < q ? -1 : p > q;
}

/* r's groups: one curve per shape, its beta the weighted sum of its draws'
 * (left unset when every draw has a shape of its own). */
mp_status mpi_resp_group(mpi_resp *r)
{
    const mpi_resp **by = mpi_calloc(r->nd, sizeof *by);
    if (!by)
        return mpi_nomem();
    for (size_t d = 0; d < r->nd; d++)
        by[d] = &r->dr[d];
    qsort(by, r->nd, sizeof *by, by_shape);
    size_t ng = 1;
    for (size_t i = 1; i < r->nd; i++)
        ng += by_shape_differs(by[i - 1], by[i]);
    mp_status st = MP_OK;
    if (ng < r->nd && !(r->grp = mpi_calloc(ng, sizeof *r->grp)))
        st = mpi_nomem();
    for (size_t i = 0, g = 0; r->grp && i < r->nd; i++) {
        if (i > 0 && by_shape_differs(by[i - 1], by[i]))
            g++;
        if (!r->grp[g].family) {
            r->grp[g] = *by[i];
            r->grp[g].beta = 0;
        }
        r->grp[g].beta += r->dw[by[i] - r->dr] * by[i]->beta;
    }
    r->ng = r->grp ? ng : 0;
    free(by);
    return st;
}

/* Replace a table by its upper concave hull from the origin. */
static int table_hull(mpi_resp *r)
{
    size_t m = 0;
    for (size_t i = 0; i < r->tn; i++) {
        while (m >= 2) {
            double x1 = r->tx[m - 2], y1 = r->ty[m - 2], x2 = r->tx[m - 1], y2 = r->ty[m - 1];
            /* drop point m-1 when it lies on or below the chord to point i */
            if ((y2 - y1) * (r->tx[i] - x1) <= (r->ty[i] - y1) * (x2 - x1))
                m--;
            else
                break;
        }
        r->tx[m] = r->tx[i];
        r->ty[m] = r->ty[i];
        m++;
    }
    int changed = m != r->tn;
    r->tn = m;
    return changed;
}

/* The key r's family needs and lacks, or NULL; defaults set. */
static const char *missing_key(mpi_resp *r)
{
    switch (r->family) {
    case MPI_FAM_HILL:
        if (!(r->slope > 0))
            r->slope = 1;
        return !(r->beta > 0) ? "beta" : !(r->ec > 0) ? "ec" : NULL;
    case MPI_FAM_EXP:
    case MPI_FAM_MM: return !(r->beta > 0) ? "beta" : !(r->k > 0) ? "k" : NULL;
    case MPI_FAM_LOGISTIC:
        if (!(r->scale > 0))
            r->scale = 1;
        return !(r->beta > 0) ? "beta" : !(r->lambda > 0) ? "lambda" : NULL;
    case MPI_FAM_TABLE: return r->tn < 2 ? "points" : NULL;
    }
    return NULL;
}

/* Every draw has its family's keys; the S-shaped ones are said once. */
static mp_status check_draws(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    size_t s_shaped = 0;
    for (size_t d = 0; d < r->nd; d++) {
        const char *need = missing_key(&r->dr[d]);
        if (need) { /* a key neither the channel nor the file gives lacks in every draw */
            mpi_loc loc = {ctx->plan_path, r->draws_line ? r->draws_line : r->line,
                           r->draws_line ? "draws" : need};
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("channel \"%s\": the draws' %s curve needs %s: give it as a key "
                                  "of the channel (%s = ...) or as a column of the draws file"),
                               ch->name, family_names[r->family], need, need);
        }
        s_shaped += envelope_point(&r->dr[d]) > 0;
    }
    if (!s_shaped)
        return MP_OK;
    return mpi_warn(ctx->diag,
                    N_("%s:%d: channel \"%s\": %zu of its %zu draws are S-shaped hill curves, "
                       "each replaced by its concave envelope"),
                    ctx->plan_path, r->line, ch->name, s_shaped, r->nd);
}

mp_status mpi_resp_check(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    if (r->family != MPI_FAM_NONE && !r->kpi)
        r->kpi = MPI_CONVERSIONS;
    mp_status st = mpi_draws_build(r, ctx, ch);
    if (st != MP_OK || r->family == MPI_FAM_NONE)
        return st;
    if (r->nd && !r->factor) {
        st = check_draws(r, ctx, ch);
        return st == MP_OK ? mpi_resp_group(r) : st;
    }
    if (r->nd)
        return check_draws(r, ctx, ch);
    mpi_loc loc = {ctx->plan_path, r->line, NULL};
    const char *need = missing_key(r);
    if (need)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("channel \"%s\": %s curve needs %s"), ch->name,
                           family_names[r->family], need);
    if (envelope_point(r) > 0)
        st = mpi_warn(ctx->diag,
                      N_("%s:%d: channel \"%s\": S-shaped hill curve (slope %g) replaced by its "
                         "concave envelope below %.0f"),
                      ctx->plan_path, r->line, ch->name, r->slope, envelope_point(r));
    if (st == MP_OK && r->family == MPI_FAM_TABLE && table_hull(r))
        st = mpi_warn(ctx->diag,
                      N_("%s:%d: channel \"%s\": curve points are not concave; using their "
                         "concave envelope"),
                      ctx->plan_path, r->line, ch->name);
    return st;
}

static void kpis_one(const mpi_resp *r, double x, double weight, double *v)
{
    double y = weight * eval_one(r, x);
    if (r->kpi == MPI_REVENUE) {
        v[MPI_REVENUE] += y;
        if (r->value > 0)
            v[MPI_CONVERSIONS] += y / r->value;
    } else {
        v[MPI_CONVERSIONS] += y;
        if (r->value > 0)
            v[MPI_REVENUE] += y * r->value;
    }
}

/* With draws, each draw's KPIs at its weight: a draw's value (revenue per
 * conversion) goes with its curve. */
void mpi_resp_kpis(const mpi_resp *r, double x, double weight, double *v)
{
    if (r->family == MPI_FAM_NONE)
        return;
    if (!r->nd) {
        kpis_one(r, x, weight, v);
        return;
    }
    for (size_t g = 0; g < r->ng; g++)
        kpis_one(&r->grp[g], x, weight, v);
    for (size_t d = 0; !r->ng && d < r->nd; d++)
        kpis_one(&r->dr[d], x, weight * r->dw[d], v);
}

void mpi_resp_free(mpi_resp *r)
{
    mpi_draws_free(r);
    free(r->tx);
    free(r->ty);
    free(r->source);
    mpi_robyn_keys_free(r->robyn);
    r->tx = r->ty = NULL;
    r->source = NULL;
    r->robyn = NULL;
}
