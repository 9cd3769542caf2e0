/* Search, per keyword: the highest competing bid B is log-normal through the
 * Keyword Planner's top-of-page bids (20th and 80th percentiles). Bidding b
 * wins F(b) of the auctions and pays the competing bid (second price):
 *   clicks(b) = V ctr F(b),  cost(b) = V ctr E[B; B < b]
 * so the marginal cost of a click is b and the clicks-vs-cost curve is concave. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

#define Z80 0.8416212335729143 /* standard normal 80th percentile */
#define Z_LO (-4.0)            /* curves start where almost no auction is won */
#define Z_HI 3.0902323061678132 /* and end at the 99.9th percentile bid */

typedef struct search {
    char *keywords; /* resolved path */
    int keywords_line;
    double ctr, cvr, value, cpc_low, cpc_high, max_cpc;
    int by_competition; /* the keyword's inflation scales with its competition */
    mpi_kwp kwp;
} search;

static const char *const keys[] = {"keywords", "ctr",      "cvr",     "value",
                                   "cpc_low",  "cpc_high", "max_cpc", "inflation_by_competition",
                                   NULL};

static void *create(void)
{
    return calloc(1, sizeof(search));
}

static void destroy(void *p)
{
    search *s = p;
    if (!s)
        return;
    free(s->keywords);
    mpi_kwp_free(&s->kwp);
    free(s);
}

static mp_status set(void *p, mp_plan *plan, const mpi_loc *loc, const char *v)
{
    search *s = p;
    const char *k = loc->key;
    const char *cur = plan->currency;
    if (!strcmp(k, "keywords")) {
        free(s->keywords);
        s->keywords = mpi_plan_path(plan, v);
        s->keywords_line = loc->line;
        return s->keywords ? MP_OK : mpi_fail(MP_ERR_NOMEM, "out of memory");
    }
    if (!strcmp(k, "ctr"))
        return mpi_get_frac(v, loc, &s->ctr);
    if (!strcmp(k, "cvr"))
        return mpi_get_frac(v, loc, &s->cvr);
    if (!strcmp(k, "value"))
        return mpi_get_nonneg(v, MPI_U_CUR, cur, loc, &s->value);
    if (!strcmp(k, "inflation_by_competition")) {
        if (mpi_strieq(v, "yes") || mpi_strieq(v, "true") || !strcmp(v, "1"))
            s->by_competition = 1;
        else if (mpi_strieq(v, "no") || mpi_strieq(v, "false") || !strcmp(v, "0"))
            s->by_competition = 0;
        else
            return mpi_fail_at(MP_ERR_INPUT, loc, "expected yes or no, got \"%s\"", v);
        return MP_OK;
    }
    if (!strcmp(k, "cpc_low"))
        return mpi_get_pos(v, MPI_U_CUR, cur, loc, &s->cpc_low);
    if (!strcmp(k, "cpc_high"))
        return mpi_get_pos(v, MPI_U_CUR, cur, loc, &s->cpc_high);
    return mpi_get_pos(v, MPI_U_CUR, cur, loc, &s->max_cpc); /* max_cpc */
}

static mp_status check(void *p, mp_plan *plan, mpi_channel *ch)
{
    search *s = p;
    mpi_loc loc = {plan->path, ch->line, NULL};
    if (!s->keywords)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           "channel \"%s\": search needs keywords = <Keyword Planner export>",
                           ch->name);
    if (!(s->ctr > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc, "channel \"%s\": search needs ctr", ch->name);
    if (s->cpc_low > 0 && s->cpc_high > 0 && s->cpc_high < s->cpc_low)
        return mpi_fail_at(MP_ERR_INPUT, &loc, "channel \"%s\": cpc_high is below cpc_low",
                           ch->name);
    mp_status st = mpi_kwp_read(s->keywords, plan, plan->path, s->keywords_line, &s->kwp);
    if (st != MP_OK)
        return st;
    size_t defaulted = 0;
    for (size_t i = 0; i < s->kwp.n; i++) {
        mpi_keyword *k = &s->kwp.kw[i];
        if (k->bid_lo > 0 && k->bid_hi > 0)
            continue;
        if (!(s->cpc_low > 0 && s->cpc_high > 0)) {
            mpi_loc kl = {s->keywords, k->line, NULL};
            return mpi_fail_at(MP_ERR_INPUT, &kl,
                               "keyword \"%s\" has no top-of-page bids; give the channel "
                               "cpc_low and cpc_high to use for such rows",
                               k->text);
        }
        k->bid_lo = s->cpc_low;
        k->bid_hi = s->cpc_high;
        k->flags |= MPI_KW_DEFAULT_BIDS;
        defaulted++;
    }
    if (defaulted)
        mpi_warn(plan, "%s: %zu keywords without bids use cpc_low %g and cpc_high %g",
                 s->keywords, defaulted, s->cpc_low, s->cpc_high);
    return MP_OK;
}

/* Searches of one keyword in [start, end): calendar months pro rata. */
static double period_volume(const mpi_keyword *k, const mpi_period *t, int *seasonal)
{
    double v = 0;
    *seasonal = 1;
    for (int m = 0; m < 12; m++)
        if (k->monthly[m] < 0)
            *seasonal = 0;
    long d = t->start;
    while (d < t->end) {
        int y, m, dd;
        mpi_civil_from_days(d, &y, &m, &dd);
        int dim = mpi_days_in_month(y, m);
        long month_end = d + (dim - dd + 1);
        long stop = month_end < t->end ? month_end : t->end;
        double monthly = *seasonal ? k->monthly[m - 1] : k->volume;
        v += monthly * (double)(stop - d) / dim;
        d = stop;
    }
    return v;
}

typedef struct kw_ctx {
    double vctr; /* searches x ctr: clicks when every auction is won */
    double mu, sigma, emean, base_cost, base_clicks;
    double cvr, value, ctr, co2;
} kw_ctx;

static void kw_eval(void *vc, double z, double *x, double *v)
{
    kw_ctx *c = vc;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    double clicks = c->vctr * mpi_norm_cdf(z) - c->base_clicks;
    double cost = c->vctr * c->emean * mpi_norm_cdf(z - c->sigma) - c->base_cost;
    if (clicks < 0)
        clicks = 0;
    if (cost < 0)
        cost = 0;
    *x = cost;
    v[MPI_SPEND] = cost;
    v[MPI_CLICKS] = clicks;
    v[MPI_IMPRESSIONS] = clicks / c->ctr;
    v[MPI_CONVERSIONS] = clicks * c->cvr;
    v[MPI_REVENUE] = clicks * c->cvr * c->value;
    v[MPI_CO2] = c->co2 * v[MPI_IMPRESSIONS] / 1000;
}

static void kw_ctx_init(kw_ctx *c, double vctr, double mu, double sigma, const search *s,
                        double co2)
{
    c->vctr = vctr;
    c->mu = mu;
    c->sigma = sigma;
    c->emean = exp(mu + 0.5 * sigma * sigma);
    c->cvr = s->cvr;
    c->value = s->value;
    c->ctr = s->ctr;
    c->co2 = co2;
    c->base_clicks = 0;
    c->base_cost = 0;
    c->base_clicks = vctr * mpi_norm_cdf(Z_LO);
    c->base_cost = vctr * c->emean * mpi_norm_cdf(Z_LO - sigma);
}

/* Scaling volume or bids scales both axes of a keyword's clicks-vs-cost curve,
 * so curves that run over the same z range have the same shape for the same
 * sigma: their breakpoints (in z) are found once per sigma bucket, 0.25 %
 * apart, with a tolerance a tenth tighter to cover the bucket's width. */
#define SHAPE_SLOTS 4096
#define SHAPE_STEP 1.0025
typedef struct shape {
    int used, n;
    long key;
    double z[MPI_MAX_SEGMENTS + 1];
} shape;

static const shape *shape_for(shape *cache, double sigma, double tol, const search *s)
{
    long key = lround(log(sigma) / log(SHAPE_STEP));
    size_t h = (size_t)(key * 2654435761L) % SHAPE_SLOTS;
    for (size_t i = 0; i < SHAPE_SLOTS; i++, h = (h + 1) % SHAPE_SLOTS) {
        shape *sh = &cache[h];
        if (sh->used && sh->key == key)
            return sh;
        if (sh->used)
            continue;
        kw_ctx c;
        kw_ctx_init(&c, 1, 0, pow(SHAPE_STEP, (double)key), s, 0);
        mpi_curve cv;
        memset(&cv, 0, sizeof cv);
        if (mpi_pwl_build(kw_eval, &c, Z_LO, Z_HI, 0.9 * tol, 1, NULL, 0, &cv) != MP_OK)
            return NULL;
        sh->used = 1;
        sh->key = key;
        sh->n = cv.nseg + 1;
        memcpy(sh->z, cv.param, sizeof(double) * (size_t)sh->n);
        free(cv.w);
        free(cv.y);
        free(cv.param);
        return sh;
    }
    return NULL; /* cache full: the caller builds adaptively */
}

static mp_status curves(const void *p, const mp_plan *plan, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    shape *cache = mpi_calloc(SHAPE_SLOTS, sizeof *cache);
    if (!cache)
        return mpi_fail(MP_ERR_NOMEM, "out of memory building search curves");
    mp_status st = MP_OK;
    const search *s = p;
    for (size_t i = 0; i < s->kwp.n; i++) {
        const mpi_keyword *k = &s->kwp.kw[i];
        int seasonal;
        double vol = period_volume(k, t, &seasonal);
        if (!seasonal)
            vol *= t->weight;
        if (!(vol > 0))
            continue;
        double mu = 0.5 * (log(k->bid_lo) + log(k->bid_hi));
        double sigma = (log(k->bid_hi) - log(k->bid_lo)) / (2 * Z80);
        if (sigma < 0.02)
            sigma = 0.02; /* equal low and high bids: a narrow spread, not a point */
        kw_ctx c;
        kw_ctx_init(&c, vol * s->ctr, mu, sigma, s, ch->co2_per_unit);
        double zhi = Z_HI;
        if (s->max_cpc > 0) {
            double zc = (log(s->max_cpc) - c.mu) / c.sigma;
            if (zc <= Z_LO)
                continue; /* the ceiling wins no auction */
            if (zc < zhi)
                zhi = zc;
        }
        /* Do not build past the spend the plan can afford on this keyword. */
        double x, v[MPI_NKPI];
        kw_eval(&c, zhi, &x, v);
        if (x > spend_max) {
            double lo = Z_LO, hi = zhi;
            for (int it = 0; it < 60; it++) {
                double mid = 0.5 * (lo + hi);
                kw_eval(&c, mid, &x, v);
                if (x > spend_max)
                    hi = mid;
                else
                    lo = mid;
            }
            zhi = hi;
        }
        mpi_curve *cv = mpi_curve_list_add(out);
        if (!cv) {
            st = mpi_fail(MP_ERR_NOMEM, "out of memory building search curves");
            break;
        }
        cv->kind = MPI_CURVE_SPEND;
        cv->period = t->index;
        cv->keyword = (long)i;
        const shape *sh = zhi == Z_HI ? shape_for(cache, sigma, plan->precision, s) : NULL;
        if (sh)
            st = mpi_pwl_at(kw_eval, &c, sh->z, sh->n, 1, cv);
        else
            st = mpi_pwl_build(kw_eval, &c, Z_LO, zhi, plan->precision, 1, NULL, 0, cv);
        if (st != MP_OK)
            break;
        /* Breakpoint parameters become bids. */
        for (int b = 0; b <= cv->nseg; b++)
            cv->param[b] = exp(c.mu + c.sigma * cv->param[b]);
    }
    free(cache);
    return st;
}

/* A keyword's yearly rate: the channel's, or with inflation_by_competition
 * rate x (0.5 + competition / 100), so that a keyword of average competition
 * (index 50) inflates at the channel's rate, an uncontested one at half of
 * it and the most contested at one and a half times. */
static double keyword_rate(const search *s, const mpi_keyword *k, double rate)
{
    if (!s->by_competition || k->competition < 0)
        return rate;
    return rate * (0.5 + k->competition / 100);
}

/* Competing bids scale by (1 + rate)^years from the export's date to the
 * middle of period t, and every cost of the keyword's curve with them. */
static double cost_index(const void *p, const mp_plan *plan, const mpi_channel *ch, long keyword,
                         int t, double rate)
{
    (void)ch;
    const search *s = p;
    long data_day = s->kwp.data_day >= 0 ? s->kwp.data_day : plan->start;
    double years = mpi_years_to_period(plan, t, data_day);
    if (keyword >= 0)
        return pow(1 + keyword_rate(s, &s->kwp.kw[keyword], rate), years);
    if (!s->by_competition)
        return pow(1 + rate, years);
    return fmin(pow(1 + 0.5 * rate, years), pow(1 + 1.5 * rate, years));
}

static double unit_cost(const void *p)
{
    const search *s = p;
    double sum = 0;
    for (size_t i = 0; i < s->kwp.n; i++)
        sum += sqrt(s->kwp.kw[i].bid_lo * s->kwp.kw[i].bid_hi);
    return s->kwp.n ? sum / (double)s->kwp.n : 0;
}

static size_t keyword_count(const void *p)
{
    return ((const search *)p)->kwp.n;
}

static const mpi_keyword *keyword(const void *p, size_t k)
{
    return &((const search *)p)->kwp.kw[k];
}

static const char *keyword_source(const void *p)
{
    return ((const search *)p)->keywords;
}

const mpi_model_ops mpi_model_search = {
    .type = "search", .media = "search", .digital = 1, .co2_unit = "1000 impressions",
    .keys = keys, .create = create, .destroy = destroy, .set = set, .check = check,
    .curves = curves, .cost_index = cost_index, .cost_name = "cpc", .unit_cost = unit_cost, .keyword_count = keyword_count,
    .keyword = keyword,
    .keyword_source = keyword_source};
