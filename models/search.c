/* Search, per keyword: the highest competing bid B is log-normal through the
 * Keyword Planner's top-of-page bids (20th and 80th percentiles). Bidding b
 * wins F(b) of the auctions and pays the competing bid (second price):
 *   clicks(b) = V ctr F(b),  cost(b) = V ctr E[B; B < b]
 * so the marginal cost of a click is b and the clicks-vs-cost curve is concave. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

#define Z80  0.8416212335729143 /* standard normal 80th percentile */
#define Z_LO (-4.0)             /* curves start where almost no auction is won */
#define Z_HI 3.0902323061678132 /* and end at the 99.9th percentile bid */

/* The standard normal CDF over [Z_LO, Z_HI] by its Taylor series about
 * nodes 1/64 apart, to the eighth term: about 1e-16 relative there (the
 * next term is below 1e-15 of the CDF at Z_LO), where an erfc costs two
 * exps; a keyword's clicks at a spend read it. */
#define PHI_STEP  64
#define PHI_NODES 456 /* Z_LO + 455 / 64 > Z_HI */
#define PHI_TERMS 8   /* poly7 sums them */

/* The parameters a keyword group may override. */
typedef struct kw_params {
    double ctr, cvr, value, cpc_low, cpc_high, max_cpc;
    double inflation; /* NAN: the channel's */
} kw_params;

typedef struct search {
    char *keywords; /* resolved path */
    int keywords_line;
    char *groups; /* rules file, resolved path, or NULL */
    int groups_line;
    kw_params base;
    int by_competition; /* the keyword's inflation scales with its competition */
    size_t excluded;    /* keywords the rules excluded (they left kwp) */
    mpi_kwp kwp;
    mpi_rules *rules;
    const mpi_model_io *io; /* the readers that loaded kwp and rules */
    kw_params *gp;          /* [rules] parameters of each group */
    int *rule;              /* [keywords] rule index, -1 when none matched */
    struct shape *shapes;   /* [SHAPE_SLOTS] the keywords' curve shapes, found once at check */
    double shape_tol;       /* the precision they were found for */
    struct kw_shape *kws;   /* [keywords] each keyword's curve on its shape (keyword_shapes) */
    double *kw_data;        /* the widths and yields kws point into */
    double *yf;         /* [groups + 1][2 * MPI_NKPI] yield factors: each rule's, the channel's */
    double co2;         /* the channel's co2 the factors were set with */
    struct kw_pre *pre; /* [keywords] each keyword's auction (auction_table) */
    struct month_piece *pieces; /* the plan's periods in months: period t's are */
    int *piece_at;              /* pieces[piece_at[t] .. piece_at[t + 1]) */
    long *period_start;         /* [nperiods + 1] the periods they are for */
    int nperiods;
    double cdf_lo; /* the standard normal CDF at Z_LO */
    double *phi;   /* [PHI_NODES][PHI_TERMS] the CDF's Taylor terms (phi_table) */
} search;

/* Shaped curves (keyword_shapes) unless a test asks for every curve in full. */
static int shared_curves = 1;

void mpi_search_share_curves(int on)
{
    shared_curves = on;
}

static const char *const keys[] = {"keywords", "ctr",      "cvr",     "value",
                                   "cpc_low",  "cpc_high", "max_cpc", "inflation_by_competition",
                                   "groups",   NULL};
static const char *const group_keys[] = {"ctr",      "cvr",     "value",     "cpc_low",
                                         "cpc_high", "max_cpc", "inflation", NULL};

static void shapes_free(struct shape *cache);
static mp_status shape_table(search *s, const mpi_model_ctx *ctx);
static mp_status keyword_shapes(search *s, const mpi_model_ctx *ctx, const mpi_channel *ch);
static mp_status auction_table(search *s, const mpi_model_ctx *ctx);

static void *create(void)
{
    search *s = mpi_calloc(1, sizeof(search));
    if (s)
        s->base.inflation = NAN;
    return s;
}

static void destroy(void *p)
{
    search *s = p;
    if (!s)
        return;
    free(s->keywords);
    free(s->groups);
    mpi_kwp_free(&s->kwp);
    if (s->rules)
        s->io->rules_free(s->rules);
    free(s->gp);
    free(s->rule);
    shapes_free(s->shapes);
    free(s->kws);
    free(s->kw_data);
    free(s->yf);
    free(s->pre);
    free(s->pieces);
    free(s->piece_at);
    free(s->period_start);
    free(s->phi);
    free(s);
}

static const kw_params *params_of(const search *s, size_t k)
{
    return s->rule && s->rule[k] >= 0 ? &s->gp[s->rule[k]] : &s->base;
}

/* A parameter a channel sets for all its keywords, or a group for its own. */
static mp_status set_param(kw_params *kp, const mpi_model_ctx *ctx, const mpi_loc *loc,
                           const char *v)
{
    const char *k = loc->key;
    const char *cur = ctx->currency;
    if (!strcmp(k, "ctr"))
        return mpi_check_typical(mpi_get_frac(v, loc, &kp->ctr), ctx->diag, loc, v, &kp->ctr,
                                 &mpi_typical_ctr, NULL);
    if (!strcmp(k, "cvr"))
        return mpi_check_typical(mpi_get_frac(v, loc, &kp->cvr), ctx->diag, loc, v, &kp->cvr,
                                 &mpi_typical_cvr, NULL);
    if (!strcmp(k, "value"))
        return mpi_get_nonneg(v, MPI_U_CUR, cur, loc, &kp->value);
    if (!strcmp(k, "cpc_low"))
        return mpi_check_limit(mpi_get_pos(v, MPI_U_CUR, cur, loc, &kp->cpc_low), loc, &kp->cpc_low,
                               &mpi_limit_unit_cost, cur);
    if (!strcmp(k, "cpc_high"))
        return mpi_check_limit(mpi_get_pos(v, MPI_U_CUR, cur, loc, &kp->cpc_high), loc,
                               &kp->cpc_high, &mpi_limit_unit_cost, cur);
    if (!strcmp(k, "max_cpc"))
        return mpi_check_limit(mpi_get_pos(v, MPI_U_CUR, cur, loc, &kp->max_cpc), loc, &kp->max_cpc,
                               &mpi_limit_unit_cost, cur);
    if (!strcmp(k, "inflation"))
        return mpi_check_typical(mpi_get_rate(v, loc, &kp->inflation), ctx->diag, loc, v,
                                 &kp->inflation, &mpi_typical_inflation, NULL);
    const char *hint = mpi_suggest(k, group_keys, 7);
    mpi_loc l2 = {loc->file, loc->line, NULL};
    return mpi_fail_at(MP_ERR_INPUT, &l2, N_("unknown key \"%s\" in a keyword group%s%s%s"), k,
                       hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean \"")) : "",
                       hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("\"?)")) : "");
}

static mp_status set(void *p, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *v)
{
    search *s = p;
    const char *k = loc->key;
    if (!strcmp(k, "keywords") || !strcmp(k, "groups")) {
        char **dst = !strcmp(k, "keywords") ? &s->keywords : &s->groups;
        free(*dst);
        *dst = mpi_model_path(ctx, v);
        if (!strcmp(k, "keywords"))
            s->keywords_line = loc->line;
        else
            s->groups_line = loc->line;
        return *dst ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    if (!strcmp(k, "inflation_by_competition")) {
        if (mpi_strieq(v, "yes") || mpi_strieq(v, "true") || !strcmp(v, "1"))
            s->by_competition = 1;
        else if (mpi_strieq(v, "no") || mpi_strieq(v, "false") || !strcmp(v, "0"))
            s->by_competition = 0;
        else
            return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected yes or no, got \"%s\""), v);
        return MP_OK;
    }
    return set_param(&s->base, ctx, loc, v);
}

/* Each rule's keyword parameters (the channel's, with the rule's overrides)
 * and its index among the plan's keyword groups (ids[g], -1 for [exclude]). */
static mp_status group_params(search *s, const mpi_model_ctx *ctx, int *ids)
{
    const mpi_model_io *io = ctx->io;
    mp_status st = MP_OK;
    size_t nr = io->rules_count(s->rules);
    for (size_t g = 0; st == MP_OK && g < nr; g++) {
        s->gp[g] = s->base;
        const char *name = io->rules_name(s->rules, g);
        ids[g] = -1;
        if (name &&
            (st = mpi_strlist_intern(ctx->groups, name, MPI_MAX_GROUPS, &ids[g])) != MP_OK) {
            if (st == MP_ERR_LIMIT)
                st = mpi_fail(MP_ERR_LIMIT, N_("%s: more than %d keyword groups in the plan"),
                              io->rules_path(s->rules), MPI_MAX_GROUPS);
            break;
        }
        const char *key, *value;
        int line;
        size_t n = io->rules_kv(s->rules, g, 0, &key, &value, &line);
        for (size_t i = 0; st == MP_OK && i < n; i++) {
            io->rules_kv(s->rules, g, i, &key, &value, &line);
            mpi_loc kl = {io->rules_path(s->rules), line, key};
            st = set_param(&s->gp[g], ctx, &kl, value);
        }
    }
    return st;
}

/* Classify every keyword; excluded ones leave the list. count[g] counts the
 * keywords of rule g, count[nr] the unmatched, count[nr + 1] the excluded. */
static mp_status sort_keywords(search *s, const mpi_model_io *io, const int *ids, size_t *count)
{
    size_t nr = io->rules_count(s->rules);
    size_t kept = 0, i = 0;
    mp_status st = MP_OK;
    for (; i < s->kwp.n; i++) {
        mpi_keyword *k = &s->kwp.kw[i];
        int g;
        if ((st = io->rules_classify(s->rules, k->text, &g)) != MP_OK)
            break;
        if (g == MPI_RULES_EXCLUDED) {
            count[nr + 1]++;
            free(k->text);
            continue;
        }
        count[g >= 0 ? (size_t)g : nr]++;
        k->group = g >= 0 ? io->rules_name(s->rules, (size_t)g) : "";
        k->group_id = g >= 0 ? ids[g] : -1;
        s->rule[kept] = g;
        s->kwp.kw[kept++] = *k;
    }
    /* on an error, keep the keywords not yet classified so that they are freed */
    for (; i < s->kwp.n; i++)
        s->kwp.kw[kept++] = s->kwp.kw[i];
    s->kwp.n = kept;
    return st;
}

/* "search-generic: keyword groups: brand 4, generic 6, unmatched 0, excluded 1" */
static mp_status note_groups(const search *s, const mpi_model_ctx *ctx, const mpi_channel *ch,
                             const size_t *count)
{
    const mpi_model_io *io = ctx->io;
    size_t nr = io->rules_count(s->rules);
    char line[1024];
    mpi_lang lang = mpi_msg_lang(); /* a note, in the reader's language */
    int o = snprintf(line, sizeof line, mpi_tr(lang, "%s: keyword groups:"), ch->name);
    for (size_t g = 0; g < nr && o > 0 && (size_t)o < sizeof line; g++)
        if (io->rules_name(s->rules, g))
            o += snprintf(line + o, sizeof line - (size_t)o, " %s %zu,",
                          io->rules_name(s->rules, g), count[g]);
    if (o > 0 && (size_t)o < sizeof line)
        snprintf(line + o, sizeof line - (size_t)o, mpi_tr(lang, " unmatched %zu, excluded %zu"),
                 count[nr], count[nr + 1]);
    return mpi_note(ctx->diag, "%s", line);
}

static void keyword_tally(const void *p, mpi_lang lang, char *buf, size_t n)
{
    const search *s = p;
    char num[4][48];
    size_t v[4] = {s->kwp.n + s->excluded + s->kwp.skipped, s->kwp.skipped, s->excluded, s->kwp.n};
    for (int i = 0; i < 4; i++)
        mpi_fmt_num(lang, num[i], sizeof num[i], (double)v[i], 0);
    if (s->groups)
        snprintf(
            buf, n,
            mpi_tr(lang, "%s rows read, %s skipped, %s excluded by rules, %s keywords planned"),
            num[0], num[1], num[2], num[3]);
    else
        snprintf(buf, n, mpi_tr(lang, "%s rows read, %s skipped, %s keywords planned"), num[0],
                 num[1], num[3]);
}

/* The export's rows as the workbook's Assumptions count them, in every language. */
static mp_status note_rows(const search *s, const mpi_model_ctx *ctx)
{
    char text[MPI_NLANG][512];
    const char *each[MPI_NLANG];
    for (int g = 0; g < MPI_NLANG; g++) {
        char tally[400];
        keyword_tally(s, (mpi_lang)g, tally, sizeof tally);
        snprintf(text[g], sizeof text[g], "%s: %s", s->keywords, tally);
        mpi_utf8_scrub(text[g]);
        each[g] = text[g];
    }
    return mpi_note_texts(ctx->diag, each);
}

/* Sort the keywords into the rules' groups; excluded keywords leave the list. */
static mp_status classify(search *s, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    const mpi_model_io *io = ctx->io;
    mp_status st = io->rules_load(ctx, s->groups, &s->rules);
    if (st != MP_OK) {
        mpi_loc gl = {ctx->plan_path, s->groups_line, "groups"};
        return mpi_fail_at(st, &gl, "%s", mp_last_error());
    }
    const char *read_as = io->rules_note(s->rules);
    if (read_as && (st = mpi_note(ctx->diag, "%s", read_as)) != MP_OK)
        return st;
    size_t nr = io->rules_count(s->rules);
    s->gp = mpi_calloc(nr, sizeof *s->gp);
    s->rule = mpi_calloc(s->kwp.n, sizeof *s->rule);
    size_t *count = mpi_calloc(nr + 2, sizeof(size_t)); /* groups, unmatched, excluded */
    int *ids = mpi_calloc(nr, sizeof(int));
    if (!s->gp || !s->rule || !count || !ids)
        st = mpi_nomem();
    if (st == MP_OK)
        st = group_params(s, ctx, ids);
    if (st == MP_OK)
        st = sort_keywords(s, io, ids, count);
    if (st == MP_OK) {
        s->excluded = count[nr + 1];
        st = note_rows(s, ctx);
    }
    if (st == MP_OK)
        st = note_groups(s, ctx, ch, count);
    if (st == MP_OK && s->kwp.n == 0)
        st = mpi_fail(MP_ERR_INPUT, N_("%s: every keyword of %s is excluded by %s"), ctx->plan_path,
                      s->keywords, io->rules_path(s->rules));
    free(count);
    free(ids);
    return st;
}

/* Keyword Planner rounds small volumes to buckets (10, 50, 100 ...) or gives
 * ranges: one warning with the count of the keywords planned on such volumes. */
static mp_status warn_bucketed(const search *s, const mpi_model_ctx *ctx)
{
    unsigned long n = 0;
    for (size_t i = 0; i < s->kwp.n; i++)
        n += (s->kwp.kw[i].flags & MPI_KW_BUCKETED) != 0;
    if (!n)
        return MP_OK;
    char num[MPI_NLANG][48];
    for (int g = 0; g < MPI_NLANG; g++)
        mpi_fmt_num((mpi_lang)g, num[g], sizeof num[g], (double)n, 0);
    mp_status st;
    MPI_WARN_EACH(st, ctx->diag,
                  mpi_trn(lang_,
                          "%s: %s keyword has a bucketed volume (Keyword Planner rounds it): "
                          "its clicks are estimates",
                          "%s: %s keywords have bucketed volumes (Keyword Planner rounds them): "
                          "their clicks are estimates",
                          n),
                  s->keywords, num[lang_]);
    return st;
}

static mp_status check(void *p, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    search *s = p;
    mpi_loc loc = {ctx->plan_path, ch->line, NULL};
    if (!s->keywords)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": search needs keywords = <Keyword Planner export>"),
                           ch->name);
    if (!(s->base.ctr > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("channel \"%s\": search needs ctr"), ch->name);
    s->io = ctx->io;
    mp_status st =
        ctx->io->read_keywords(ctx, s->keywords, ctx->currency, &ctx->diag->warn, &s->kwp);
    if (st != MP_OK) {
        mpi_loc kl = {ctx->plan_path, s->keywords_line, "keywords"};
        return mpi_fail_at(st, &kl, "%s", mp_last_error());
    }
    if (s->kwp.note && (st = mpi_note(ctx->diag, "%s", s->kwp.note)) != MP_OK)
        return st;
    st = s->groups ? classify(s, ctx, ch) : note_rows(s, ctx);
    if (st != MP_OK)
        return st;
    size_t defaulted = 0;
    for (size_t i = 0; i < s->kwp.n; i++) {
        mpi_keyword *k = &s->kwp.kw[i];
        const kw_params *kp = params_of(s, i);
        if (kp->cpc_low > 0 && kp->cpc_high > 0 && kp->cpc_high < kp->cpc_low)
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("channel \"%s\": cpc_high is below cpc_low%s%s"), ch->name,
                               *k->group ? " in group " : "", k->group);
        if (!(kp->ctr > 0))
            return mpi_fail_at(MP_ERR_INPUT, &loc, N_("channel \"%s\": group \"%s\" has no ctr"),
                               ch->name, k->group);
        if (k->bid_lo > 0 && k->bid_hi > 0)
            continue;
        if (!(kp->cpc_low > 0 && kp->cpc_high > 0)) {
            mpi_loc kl = {s->keywords, k->line, NULL};
            return mpi_fail_at(MP_ERR_INPUT, &kl,
                               N_("keyword \"%s\" has no top-of-page bids; give the channel "
                                  "cpc_low and cpc_high to use for such rows"),
                               k->text);
        }
        k->bid_lo = kp->cpc_low;
        k->bid_hi = kp->cpc_high;
        k->flags |= MPI_KW_DEFAULT_BIDS;
        defaulted++;
    }
    if ((st = auction_table(s, ctx)) != MP_OK || (st = shape_table(s, ctx)) != MP_OK ||
        (st = keyword_shapes(s, ctx, ch)) != MP_OK)
        return st;
    if (defaulted && (st = mpi_warn(ctx->diag,
                                    N_("%s: keywords without bids, which take the channel's or "
                                       "group's cpc_low and cpc_high: %zu"),
                                    s->keywords, defaulted)) != MP_OK)
        return st;
    return warn_bucketed(s, ctx);
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
    const double *phi; /* the model's CDF table, or NULL */
    double cdf_hi;     /* the standard normal CDF at Z_HI - sigma, or NAN */
} kw_ctx;

/* The polynomial of degree 7 with coefficients a at r, by Estrin's scheme:
 * its terms in pairs, so that the chain of dependent steps is three deep,
 * not seven (the caller waits on it). */
static double poly7(const double *a, double r)
{
    double r2 = r * r, r4 = r2 * r2;
    double lo = (a[0] + a[1] * r) + r2 * (a[2] + a[3] * r);
    double hi = (a[4] + a[5] * r) + r2 * (a[6] + a[7] * r);
    return lo + r4 * hi;
}

/* The standard normal CDF's Taylor terms about every node of the table:
 * Phi(z0 + d) = Phi(z0) + phi(z0) sum_k (-1)^(k-1) He_(k-1)(z0) d^k / k!,
 * He the probabilists' Hermite polynomials. */
static void phi_table(double *tab)
{
    for (int i = 0; i < PHI_NODES; i++) {
        double z = Z_LO + (double)i / PHI_STEP, he[PHI_TERMS], *c = tab + i * PHI_TERMS;
        double density = exp(-0.5 * z * z) * 0.3989422804014327; /* 1 / sqrt(2 pi) */
        he[0] = 1;
        he[1] = z;
        for (int n = 1; n + 1 < PHI_TERMS; n++)
            he[n + 1] = z * he[n] - n * he[n - 1];
        c[0] = mpi_norm_cdf(z);
        double fact = 1;
        for (int k = 1; k < PHI_TERMS; k++) {
            fact *= k;
            c[k] = (k % 2 ? 1 : -1) * he[k - 1] * density / fact;
        }
    }
}

/* The standard normal CDF at z: from the table inside its nodes (at a node,
 * its value there to the bit), else by erfc. */
static double kw_cdf(const kw_ctx *c, double z)
{
    double t = (z - Z_LO) * PHI_STEP + 0.5;
    if (!c->phi || !(t >= 0.5 && t < PHI_NODES - 0.5))
        return mpi_norm_cdf(z);
    int i = (int)t;
    return poly7(c->phi + i * PHI_TERMS, z - (Z_LO + (double)i / PHI_STEP));
}

/* The KPIs of keyword c bidding at a parameter z where the standard normal
 * CDF is phi_z, spend aside (v[MPI_SPEND] 0). */
static void kw_kpis(const kw_ctx *c, double phi_z, double *v)
{
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    double clicks = c->vctr * phi_z - c->base_clicks;
    if (clicks < 0)
        clicks = 0;
    v[MPI_CLICKS] = clicks;
    v[MPI_IMPRESSIONS] = clicks / c->ctr;
    v[MPI_CONVERSIONS] = clicks * c->cvr;
    v[MPI_REVENUE] = clicks * c->cvr * c->value;
    v[MPI_CO2] = c->co2 * v[MPI_IMPRESSIONS] / 1000;
}

/* The KPIs of keyword c bidding at parameter z, spend aside. */
static void kw_clicks(const kw_ctx *c, double z, double *v)
{
    kw_kpis(c, kw_cdf(c, z), v);
}

/* Spend and KPIs of keyword c at parameter z, where Phi(z) is phi_z. */
static void kw_eval_cdf(const kw_ctx *c, double z, double phi_z, double *x, double *v)
{
    kw_kpis(c, phi_z, v);
    double cost = c->vctr * c->emean * mpi_norm_cdf(z - c->sigma) - c->base_cost;
    *x = cost < 0 ? 0 : cost;
    v[MPI_SPEND] = *x;
}

static void kw_eval(void *vc, double z, double *x, double *v)
{
    kw_eval_cdf(vc, z, mpi_norm_cdf(z), x, v);
}

static void kw_ctx_init(kw_ctx *c, double vctr, double mu, double sigma, const kw_params *s,
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
    c->phi = NULL;
    c->cdf_hi = NAN;
    c->base_clicks = 0;
    c->base_cost = 0;
    c->base_clicks = vctr * mpi_norm_cdf(Z_LO);
    c->base_cost = vctr * c->emean * mpi_norm_cdf(Z_LO - sigma);
}

/* The spread of keyword k's log competing bid. */
static double kw_sigma(const mpi_keyword *k)
{
    double sigma = (log(k->bid_hi) - log(k->bid_lo)) / (2 * Z80);
    return sigma < 0.02 ? 0.02 : sigma; /* equal low and high bids: a narrow spread, not a point */
}

/* What kw_setup needs of a keyword beyond its period's searches, found
 * once at check: the same numbers kw_ctx_init computes. */
typedef struct kw_pre {
    double mu, sigma, emean;
    double cdf_lo; /* the standard normal CDF at Z_LO - sigma */
    double cdf_hi; /* and at Z_HI - sigma */
    int seasonal;
} kw_pre;

/* A part of a period in one calendar month: its days and the month's. */
typedef struct month_piece {
    int month; /* 0-11 */
    double days, dim;
} month_piece;

/* The pieces of [start, end) into out (NULL: counted only); their count. */
static int month_pieces(long start, long end, month_piece *out)
{
    int n = 0;
    for (long d = start; d < end;) {
        int y, m, dd;
        mpi_civil_from_days(d, &y, &m, &dd);
        int dim = mpi_days_in_month(y, m);
        long month_end = d + (dim - dd + 1);
        long stop = month_end < end ? month_end : end;
        if (out)
            out[n] = (month_piece){m - 1, (double)(stop - d), dim};
        n++;
        d = stop;
    }
    return n;
}

/* The plan's periods in months and each keyword's auction, at check, so
 * that a keyword's curve in a period (and its exact form, asked again and
 * again) reads them instead of the calendar, logarithms and CDFs. */
static mp_status auction_table(search *s, const mpi_model_ctx *ctx)
{
    int np = ctx->cal.period_start ? ctx->cal.periods : 0;
    s->cdf_lo = mpi_norm_cdf(Z_LO);
    s->phi = mpi_malloc(PHI_NODES * PHI_TERMS * sizeof(double));
    if (!s->phi)
        return mpi_nomem();
    phi_table(s->phi);
    s->pre = mpi_malloc((s->kwp.n ? s->kwp.n : 1) * sizeof *s->pre);
    s->piece_at = mpi_malloc(((size_t)np + 1) * sizeof(int));
    s->period_start = mpi_malloc(((size_t)np + 1) * sizeof(long));
    if (!s->pre || !s->piece_at || !s->period_start)
        return mpi_nomem();
    int n = 0;
    for (int t = 0; t < np; t++) {
        s->piece_at[t] = n;
        n += month_pieces(ctx->cal.period_start[t], ctx->cal.period_start[t + 1], NULL);
    }
    s->piece_at[np] = n;
    s->pieces = mpi_malloc((n ? (size_t)n : 1) * sizeof *s->pieces);
    if (!s->pieces)
        return mpi_nomem();
    for (int t = 0; t <= np && np > 0; t++)
        s->period_start[t] = ctx->cal.period_start[t];
    for (int t = 0; t < np; t++)
        month_pieces(ctx->cal.period_start[t], ctx->cal.period_start[t + 1],
                     &s->pieces[s->piece_at[t]]);
    s->nperiods = np;
    for (size_t i = 0; i < s->kwp.n; i++) {
        const mpi_keyword *k = &s->kwp.kw[i];
        kw_pre *p = &s->pre[i];
        p->mu = 0.5 * (log(k->bid_lo) + log(k->bid_hi));
        p->sigma = kw_sigma(k);
        p->emean = exp(p->mu + 0.5 * p->sigma * p->sigma);
        p->cdf_lo = mpi_norm_cdf(Z_LO - p->sigma);
        p->cdf_hi = mpi_norm_cdf(Z_HI - p->sigma);
        p->seasonal = 1;
        for (int m = 0; m < 12; m++)
            if (k->monthly[m] < 0)
                p->seasonal = 0;
    }
    return MP_OK;
}

/* Searches of keyword k (auction p) in period t, as period_volume finds them. */
static double kw_volume(const search *s, const kw_pre *p, const mpi_keyword *k, const mpi_period *t)
{
    int ti = t->index, seasonal;
    if (ti < 0 || ti >= s->nperiods || s->period_start[ti] != t->start ||
        s->period_start[ti + 1] != t->end)
        return period_volume(k, t, &seasonal); /* not one of the plan's periods */
    double v = 0;
    for (int i = s->piece_at[ti]; i < s->piece_at[ti + 1]; i++) {
        const month_piece *mp = &s->pieces[i];
        double monthly = p->seasonal ? k->monthly[mp->month] : k->volume;
        v += monthly * mp->days / mp->dim;
    }
    return v;
}

/* Keyword i's auction in period t; 0 when it has no searches then. */
static int kw_setup(const search *s, const mpi_channel *ch, const mpi_period *t, size_t i,
                    kw_ctx *c)
{
    const mpi_keyword *k = &s->kwp.kw[i];
    if (s->pre) { /* as below, from the numbers found at check */
        const kw_pre *p = &s->pre[i];
        double vol = kw_volume(s, p, k, t);
        if (!p->seasonal)
            vol *= t->weight;
        if (!(vol > 0))
            return 0;
        const kw_params *kp = params_of(s, i);
        double vctr = vol * kp->ctr;
        *c = (kw_ctx){.vctr = vctr,
                      .mu = p->mu,
                      .sigma = p->sigma,
                      .emean = p->emean,
                      .base_cost = vctr * p->emean * p->cdf_lo,
                      .base_clicks = vctr * s->cdf_lo,
                      .cvr = kp->cvr,
                      .value = kp->value,
                      .ctr = kp->ctr,
                      .co2 = ch->co2_per_unit,
                      .phi = s->phi,
                      .cdf_hi = p->cdf_hi};
        return 1;
    }
    int seasonal;
    double vol = period_volume(k, t, &seasonal);
    if (!seasonal)
        vol *= t->weight;
    if (!(vol > 0))
        return 0;
    double mu = 0.5 * (log(k->bid_lo) + log(k->bid_hi));
    double sigma = kw_sigma(k);
    const kw_params *kp = params_of(s, i);
    kw_ctx_init(c, vol * kp->ctr, mu, sigma, kp, ch->co2_per_unit);
    return 1;
}

/* A rational function of r: num over den, both of degree 7 (AS 241). */
static double ratio7(const double *num, const double *den, double r)
{
    return poly7(num, r) / poly7(den, r);
}

/* The standard normal quantile to about 1e-16 relative (Wichura's AS 241,
 * PPND16), so that inverting a keyword's spend needs no Newton steps (each
 * an erfc and an exp). */
static double norm_quantile(double p)
{
    static const double a[8] = {3.387132872796366608,  133.14166789178437745, 1971.5909503065514427,
                                13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
                                33430.575583588128105, 2509.0809287301226727};
    static const double b[8] = {1.,
                                42.313330701600911252,
                                687.1870074920579083,
                                5394.1960214247511077,
                                21213.794301586595867,
                                39307.89580009271061,
                                28729.085735721942674,
                                5226.495278852545925};
    static const double c[8] = {1.42343711074968357734,  4.6303378461565452959,
                                5.7694972214606914055,   3.64784832476320460504,
                                1.27045825245236838258,  .24178072517745061177,
                                .0227238449892691845833, 7.7454501427834140764e-4};
    static const double d[8] = {1.,
                                2.05319162663775882187,
                                1.6763848301838038494,
                                .68976733498510000455,
                                .14810397642748007459,
                                .0151986665636164571966,
                                5.475938084995344946e-4,
                                1.05075007164441684324e-9};
    static const double e[8] = {6.6579046435011037772,     5.4637849111641143699,
                                1.7848265399172913358,     .29656057182850489123,
                                .026532189526576123093,    .0012426609473880784386,
                                2.71155556874348757815e-5, 2.01033439929228813265e-7};
    static const double f[8] = {1.,
                                .59983220655588793769,
                                .13692988092273580531,
                                .0148753612908506148525,
                                7.868691311456132591e-4,
                                1.8463183175100546818e-5,
                                1.4215117583164458887e-7,
                                2.04426310338993978564e-15};
    if (!(p > 0))
        return -INFINITY;
    if (!(p < 1))
        return INFINITY;
    double q = p - 0.5;
    if (fabs(q) <= 0.425)
        return q * ratio7(a, b, 0.180625 - q * q);
    double r = sqrt(-log(q < 0 ? p : 1 - p)); /* 1 - p exact for p > 0.5 */
    double v = r <= 5 ? ratio7(c, d, r - 1.6) : ratio7(e, f, r - 5);
    return q < 0 ? -v : v;
}

/* The bid parameter z at which keyword c's curve spends x (at the data's
 * prices): spend(z) = scale Phi(z - sigma) - base_cost inverted in closed
 * form, to rounding. Past the curve's last bid (99.9th percentile), Z_HI. */
static double kw_invert(const kw_ctx *c, double x)
{
    if (!(x > 0))
        return Z_LO;
    double z = c->sigma + norm_quantile((x + c->base_cost) / (c->vctr * c->emean));
    return z > Z_LO ? (z < Z_HI ? z : Z_HI) : Z_LO;
}

/* Exact KPIs of keyword k's curve for period t at spend x (data's prices). */
static void exact(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                  const mpi_period *t, long keyword, double x, double *v, double *bid)
{
    (void)ctx;
    const search *s = p;
    kw_ctx c;
    if (keyword < 0 || (size_t)keyword >= s->kwp.n || !kw_setup(s, ch, t, (size_t)keyword, &c)) {
        for (int q = 0; q < MPI_NKPI; q++)
            v[q] = 0;
        v[MPI_SPEND] = x;
        if (bid)
            *bid = NAN;
        return;
    }
    double z = kw_invert(&c, x);
    kw_clicks(&c, z, v);
    v[MPI_SPEND] = x;
    if (bid)
        *bid = exp(c.mu + c.sigma * z);
}

/* exact at n spends, the keyword's auction in the period set up once. */
static void exact_n(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                    const mpi_period *t, long keyword, const double *x, int n, double *v)
{
    (void)ctx;
    const search *s = p;
    kw_ctx c;
    int any = keyword >= 0 && (size_t)keyword < s->kwp.n && kw_setup(s, ch, t, (size_t)keyword, &c);
    for (int i = 0; i < n; i++) {
        double *vi = v + (size_t)i * MPI_NKPI;
        if (any) {
            kw_clicks(&c, kw_invert(&c, x[i]), vi);
        } else {
            for (int q = 0; q < MPI_NKPI; q++)
                vi[q] = 0;
        }
        vi[MPI_SPEND] = x[i];
    }
}

/* Spend at the data's prices where keyword k's curve for period t reaches bid. */
static double bid_spend(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, long keyword, double bid)
{
    (void)ctx;
    const search *s = p;
    kw_ctx c;
    if (keyword < 0 || (size_t)keyword >= s->kwp.n || !kw_setup(s, ch, t, (size_t)keyword, &c) ||
        !(bid > 0))
        return 0;
    double z = (log(bid) - c.mu) / c.sigma, x, v[MPI_NKPI];
    if (z > Z_HI)
        return INFINITY; /* the curve's top bid is below it: nothing to cut */
    kw_eval(&c, fmax(Z_LO, z), &x, v);
    return x;
}

/* Scaling volume or bids scales both axes of a keyword's clicks-vs-cost curve,
 * so curves that run over the same z range have the same shape for the same
 * sigma, and the same chord errors relative to their range: their
 * breakpoints (in z) are found once per sigma bucket, 0.25 % apart, with a
 * tighter tolerance, then checked at both edges of the bucket (every keyword
 * of the bucket lies between them). */
#define SHAPE_SLOTS 4096
#define SHAPE_STEP  1.0025
typedef struct shape {
    int used, n;
    long key;
    double *z;   /* [n], allocated when the bucket's breakpoints are found */
    double *cdf; /* [n] the standard normal CDF at z, the same for every keyword */
} shape;

static void shapes_free(shape *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < SHAPE_SLOTS; i++) {
        free(cache[i].z);
        free(cache[i].cdf);
    }
    free(cache);
}

/* Breakpoints for bucket key that meet tol at both of its edges, in sh
 * (sh->n 0 when none was found: the bucket's curves are built one by one). */
static mp_status shape_build(shape *sh, long key, double tol, const search *s)
{
    static const double margin[] = {0.9, 0.75, 0.5};
    sh->n = 0;
    for (size_t m = 0; m < sizeof margin / sizeof margin[0]; m++) {
        kw_ctx c;
        kw_ctx_init(&c, 1, 0, pow(SHAPE_STEP, (double)key), &s->base, 0);
        mpi_curve cv;
        memset(&cv, 0, sizeof cv);
        mp_status st = mpi_pwl_build(kw_eval, &c, Z_LO, Z_HI, margin[m] * tol, 1, NULL, 0, &cv);
        if (st != MP_OK)
            return st;
        int n = cv.nseg + 1, ok = 1;
        double *z = cv.param;
        cv.param = NULL; /* the breakpoints are kept, the segments not */
        mpi_curve_release(&cv);
        cv.param = z;
        for (int edge = -1; edge <= 1 && ok; edge += 2) {
            kw_ctx_init(&c, 1, 0, pow(SHAPE_STEP, (double)key + 0.5 * edge), &s->base, 0);
            ok = mpi_pwl_within(kw_eval, &c, cv.param, n, tol * (1 - 1e-6));
        }
        if (ok) {
            sh->cdf = mpi_malloc(sizeof(double) * (size_t)n);
            if (!sh->cdf) {
                free(cv.param);
                return mpi_nomem();
            }
            for (int b = 0; b < n; b++)
                sh->cdf[b] = mpi_norm_cdf(cv.param[b]);
            sh->z = cv.param;
            sh->n = n;
            return MP_OK;
        }
        free(cv.param);
    }
    return MP_OK;
}

static long shape_key(double sigma)
{
    return lround(log(sigma) / log(SHAPE_STEP));
}

/* The slot of key in cache: its own when used, else the free one where it
 * goes; NULL when the cache is full. */
static shape *shape_slot(shape *cache, long key)
{
    size_t h = (size_t)(key * 2654435761L) % SHAPE_SLOTS;
    for (size_t i = 0; i < SHAPE_SLOTS; i++, h = (h + 1) % SHAPE_SLOTS)
        if (!cache[h].used || cache[h].key == key)
            return &cache[h];
    return NULL;
}

/* The shared breakpoints of sigma's bucket in *out, found now when cache
 * does not hold them yet, or NULL: the caller builds the curve adaptively. */
static mp_status shape_for(shape *cache, double sigma, double tol, const search *s,
                           const shape **out)
{
    long key = shape_key(sigma);
    shape *sh = shape_slot(cache, key);
    *out = NULL;
    if (!sh)
        return MP_OK; /* cache full: the caller builds adaptively */
    if (!sh->used) {
        mp_status st = shape_build(sh, key, tol, s);
        if (st != MP_OK)
            return st;
        sh->used = 1;
        sh->key = key;
    }
    *out = sh->n ? sh : NULL;
    return MP_OK;
}

/* The shapes of every keyword's curves, found once for all periods and
 * scenarios (curves at a precision other than ctx's find their own). */
static mp_status shape_table(search *s, const mpi_model_ctx *ctx)
{
    s->shapes = mpi_calloc(SHAPE_SLOTS, sizeof(shape));
    if (!s->shapes)
        return mpi_nomem();
    s->shape_tol = ctx->precision;
    for (size_t i = 0; i < s->kwp.n; i++) {
        const shape *sh;
        mp_status st = shape_for(s->shapes, kw_sigma(&s->kwp.kw[i]), s->shape_tol, s, &sh);
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

/* The shape of a keyword whose spread is sigma: from the model's table when
 * it holds it, else found in the call's own cache. */
/* The model's shape for sigma at tol, or NULL. */
static const shape *shared_shape(const search *s, double tol, double sigma)
{
    shape *sh = s->shapes && s->shape_tol == tol ? shape_slot(s->shapes, shape_key(sigma)) : NULL;
    return sh && sh->used && sh->n ? sh : NULL;
}

static mp_status keyword_shape(const search *s, double tol, double sigma, shape *cache,
                               const shape **out)
{
    shape *sh = s->shapes && s->shape_tol == tol ? shape_slot(s->shapes, shape_key(sigma)) : NULL;
    if (sh && sh->used) {
        *out = sh->n ? sh : NULL;
        return MP_OK;
    }
    return shape_for(cache, sigma, tol, s, out);
}

/* A keyword's curve evaluated at its shape's breakpoints in order, with the
 * CDF values the shape holds. */
typedef struct shape_eval {
    const kw_ctx *c;
    const shape *sh;
    int next;
} shape_eval;

static void kw_eval_shape(void *vc, double z, double *x, double *v)
{
    shape_eval *e = vc;
    int b = e->next++;
    double phi = b < e->sh->n && e->sh->z[b] == z ? e->sh->cdf[b] : mpi_norm_cdf(z);
    kw_eval_cdf(e->c, z, phi, x, v);
}

/* A keyword's curve on its shape at searches x ctr 1. Searches scale a
 * keyword's clicks-vs-cost curve along both axes, so its curve in any period
 * is this one with every width times the period's searches x ctr and the
 * same yields: the keyword's curves share these arrays (mpi_curve.shaped). */
typedef struct kw_shape {
    const shape *sh; /* NULL: the keyword's curves are built one by one */
    double *bw, *y1; /* [sh->n - 1] widths, impressions a unit of currency */
    mpi_bid_shape bids;
    unsigned char mono;
} kw_shape;

/* A keyword's yields as multiples of its impressions (kw_kpis), in the
 * compact form of models.h, for parameters kp and the channel's co2. */
static void factor_table(const kw_params *kp, double co2, double *yf)
{
    for (int q = 0; q < 2 * MPI_NKPI; q++)
        yf[q] = 0;
    yf[MPI_SPEND] = 1;
    double *f = yf + MPI_NKPI;
    f[MPI_IMPRESSIONS] = 1;
    f[MPI_CLICKS] = kp->ctr;
    f[MPI_CONVERSIONS] = kp->ctr * kp->cvr;
    f[MPI_REVENUE] = kp->ctr * kp->cvr * kp->value;
    f[MPI_CO2] = co2 / 1000;
}

/* The factor table of keyword k's parameters. */
static const double *kw_factors(const search *s, size_t k)
{
    size_t g = s->rule && s->rule[k] >= 0 ? (size_t)s->rule[k]
               : s->rules                 ? s->io->rules_count(s->rules)
                                          : 0;
    return s->yf + g * 2 * MPI_NKPI;
}

/* Keyword i's curve on its shape into ks's arrays, as mpi_pwl_at builds it
 * through kw_eval_shape (widths, and the impressions yield its compact
 * form keeps), or ks->sh NULL when a segment has no width. */
static void kw_shape_fill(const search *s, size_t i, kw_shape *ks)
{
    const shape *sh = ks->sh;
    kw_ctx c; /* as kw_setup, at searches x ctr 1 */
    kw_ctx_init(&c, 1, s->pre[i].mu, s->pre[i].sigma, params_of(s, i), s->co2);
    ks->bids = (mpi_bid_shape){sh->z, c.mu, c.sigma};
    double x0, v0[MPI_NKPI], x, v[MPI_NKPI];
    kw_eval_cdf(&c, sh->z[0], sh->cdf[0], &x0, v0);
    for (int b = 1; b < sh->n; b++) {
        kw_eval_cdf(&c, sh->z[b], sh->cdf[b], &x, v);
        double w = x - x0;
        if (!(w > 0)) {
            ks->sh = NULL; /* mpi_pwl_at would merge it: built one by one */
            return;
        }
        ks->bw[b - 1] = w;
        ks->y1[b - 1] = (v[MPI_IMPRESSIONS] - v0[MPI_IMPRESSIONS]) / w;
        x0 = x;
        v0[MPI_IMPRESSIONS] = v[MPI_IMPRESSIONS];
    }
    mpi_curve m = {.nseg = sh->n - 1, .y1 = ks->y1, .yf = (double *)kw_factors(s, i)};
    mpi_curve_set_mono(&m);
    ks->mono = m.mono;
}

/* Every keyword's curve on its shape, at check: the factor tables, then the
 * widths and yields of every keyword whose shape the model keeps, in one
 * block. */
static mp_status keyword_shapes(search *s, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    (void)ctx;
    size_t nr = s->rules ? s->io->rules_count(s->rules) : 0, total = 0;
    s->co2 = ch->co2_per_unit;
    s->yf = mpi_malloc((nr + 1) * 2 * MPI_NKPI * sizeof(double));
    s->kws = mpi_calloc(s->kwp.n ? s->kwp.n : 1, sizeof *s->kws);
    if (!s->yf || !s->kws)
        return mpi_nomem();
    for (size_t g = 0; g <= nr; g++)
        factor_table(g < nr ? &s->gp[g] : &s->base, s->co2, s->yf + g * 2 * MPI_NKPI);
    for (size_t i = 0; i < s->kwp.n; i++) {
        s->kws[i].sh = shared_shape(s, s->shape_tol, kw_sigma(&s->kwp.kw[i]));
        total += s->kws[i].sh ? (size_t)s->kws[i].sh->n - 1 : 0;
    }
    s->kw_data = mpi_malloc((total ? total : 1) * 2 * sizeof(double));
    if (!s->kw_data)
        return mpi_nomem();
    double *at = s->kw_data;
    for (size_t i = 0; i < s->kwp.n; i++) {
        kw_shape *ks = &s->kws[i];
        if (!ks->sh)
            continue;
        size_t n = (size_t)ks->sh->n - 1;
        ks->bw = at;
        ks->y1 = at + n;
        at += 2 * n;
        kw_shape_fill(s, i, ks);
    }
    return MP_OK;
}

/* Keyword i's curve c on its shape ks: the model's arrays, no copy. */
static void shaped_curve(const search *s, size_t i, const kw_ctx *c, const kw_shape *ks,
                         mpi_curve *cv)
{
    cv->nseg = ks->sh->n - 1;
    cv->bw = ks->bw;
    cv->bscale = c->vctr;
    cv->y1 = ks->y1;
    cv->yf = (double *)kw_factors(s, i);
    cv->bids = &ks->bids;
    cv->shaped = 1;
    cv->mono = ks->mono;
    mpi_curve_sum_end(cv);
}

static double cost_index(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                         long keyword, int t, double rate);

/* The highest bid parameter the plan can afford on a keyword: Z_HI, or where
 * the curve's spend reaches spend_max. */
static double affordable_z(kw_ctx *c, double spend_max)
{
    /* the spend at Z_HI as kw_eval finds it, from the CDF found at check */
    double phi_hi = isnan(c->cdf_hi) ? mpi_norm_cdf(Z_HI - c->sigma) : c->cdf_hi;
    double x = c->vctr * c->emean * phi_hi - c->base_cost, v[MPI_NKPI];
    x = x < 0 ? 0 : x;
    if (x <= spend_max)
        return Z_HI;
    double lo = Z_LO, hi = Z_HI;
    for (int it = 0; it < 60; it++) {
        double mid = 0.5 * (lo + hi);
        kw_eval(c, mid, &x, v);
        if (x > spend_max)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* Append keyword i's curve for period t (none when it has no searches). */
static mp_status keyword_curve(const search *s, const mpi_model_ctx *ctx, const mpi_channel *ch,
                               const mpi_period *t, size_t i, double spend_max, shape *cache,
                               mpi_curve_list *out)
{
    const mpi_keyword *k = &s->kwp.kw[i];
    kw_ctx c;
    if (!kw_setup(s, ch, t, i, &c))
        return MP_OK;
    const kw_params *kp = params_of(s, i);
    double sigma = c.sigma;
    double zhi = affordable_z(&c, spend_max);
    mpi_curve *cv = mpi_curve_list_add(out);
    if (!cv)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building search curves"));
    cv->kind = MPI_CURVE_SPEND;
    cv->capped = zhi != Z_HI; /* else built the same for any spend_max */
    cv->ceiling = kp->max_cpc > 0 ? kp->max_cpc : 0;
    cv->period = t->index;
    cv->keyword = (long)i;
    cv->group = k->group_id;
    const shape *sh = NULL;
    mp_status st = MP_OK;
    const kw_shape *ks = s->kws ? &s->kws[i] : NULL;
    if (zhi == Z_HI && shared_curves && ks && ks->sh && s->shape_tol == ctx->precision &&
        s->co2 == ch->co2_per_unit) {
        shaped_curve(s, i, &c, ks, cv);
        return MP_OK;
    }
    /* A bid ceiling places no breakpoint: pricing ends the curve where the
     * exact bid reaches it at any price level (mpi_model_price), so that the
     * breakpoints do not depend on the prices of one scenario. */
    if (zhi == Z_HI)
        st = keyword_shape(s, ctx->precision, sigma, cache, &sh);
    shape_eval e = {&c, sh, 0};
    if (st == MP_OK)
        st = sh ? mpi_pwl_at(kw_eval_shape, &e, sh->z, sh->n, 1, cv)
                : mpi_pwl_build(kw_eval, &c, Z_LO, zhi, ctx->precision, 1, NULL, 0, cv);
    if (st != MP_OK)
        return st;
    /* Breakpoint parameters become bids. */
    for (int b = 0; b <= cv->nseg; b++)
        cv->param[b] = exp(c.mu + c.sigma * cv->param[b]);
    return MP_OK;
}

static mp_status curves(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    shape *cache = mpi_calloc(SHAPE_SLOTS, sizeof *cache); /* breakpoints allocated as found */
    if (!cache)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building search curves"));
    mp_status st = MP_OK;
    const search *s = p;
    /* past the run's deadline the curves stop where they are (build.c says why) */
    for (size_t i = 0; st == MP_OK && i < s->kwp.n && !(i % 256 == 0 && mpi_deadline_passed()); i++)
        st = keyword_curve(s, ctx, ch, t, i, spend_max, cache, out);
    shapes_free(cache);
    return st;
}

/* A keyword's yearly rate: the scenario's rate when it sets one, else its
 * group's or the channel's; with inflation_by_competition, rate x (0.5 +
 * competition / 100), so that a keyword of average competition (index 50)
 * inflates at that rate, an uncontested one at half of it and the most
 * contested at one and a half times. */
static double keyword_rate(const search *s, const mpi_channel *ch, size_t k, double rate)
{
    if (isnan(rate)) {
        const kw_params *kp = params_of(s, k);
        rate = !isnan(kp->inflation) ? kp->inflation : ch->inflation;
    }
    double comp = s->kwp.kw[k].competition;
    if (!s->by_competition || comp < 0)
        return rate;
    return rate * (0.5 + comp / 100);
}

/* Competing bids scale by (1 + rate)^years from the export's date to the
 * middle of period t, and every cost of the keyword's curve with them. */
/* pow(base, years), the last one kept (per thread): a plan's keywords
 * mostly share their rate, so pricing a period's curves, one keyword after
 * another, asks the same power again and again. The same value as pow's. */
static double rate_power(double base, double years)
{
    static _Thread_local double last_base = NAN, last_years = NAN, last = NAN;
    if (base == last_base && years == last_years) /* a NaN is never equal */
        return last;
    last = pow(base, years);
    last_base = base;
    last_years = years;
    return last;
}

static double cost_index(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                         long keyword, int t, double rate)
{
    const search *s = p;
    long data_day = s->kwp.data_day >= 0 ? s->kwp.data_day : ctx->cal.start;
    double years = mpi_years_to_period(&ctx->cal, t, data_day);
    if (keyword >= 0)
        return rate_power(1 + keyword_rate(s, ch, (size_t)keyword, rate), years);
    double lo = INFINITY;
    for (size_t k = 0; k < s->kwp.n; k++)
        lo = fmin(lo, rate_power(1 + keyword_rate(s, ch, k, rate), years));
    return isfinite(lo) ? lo : 1;
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

static size_t curve_bytes(const void *p)
{
    const search *s = p;
    size_t n = 0, nr = s->rules ? s->io->rules_count(s->rules) : 0;
    for (size_t i = 0; s->shapes && i < SHAPE_SLOTS; i++)
        n += 2 * sizeof(double) * (size_t)s->shapes[i].n; /* z and cdf */
    for (size_t i = 0; s->kws && i < s->kwp.n; i++)
        n += s->kws[i].sh ? 2 * sizeof(double) * (size_t)(s->kws[i].sh->n - 1) : 0;
    return n + (s->shapes ? SHAPE_SLOTS * sizeof(shape) : 0) +
           (s->kws ? s->kwp.n * sizeof(kw_shape) : 0) + (nr + 1) * 2 * MPI_NKPI * sizeof(double) +
           (s->pre ? s->kwp.n * sizeof(kw_pre) : 0);
}

const mpi_model_ops mpi_model_search = {.type = "search",
                                        .media = "search",
                                        .kind = N_("a search channel"),
                                        .digital = 1,
                                        .co2_unit = N_("1000 impressions"),
                                        .keys = keys,
                                        .create = create,
                                        .destroy = destroy,
                                        .set = set,
                                        .check = check,
                                        .curves = curves,
                                        .exact = exact,
                                        .exact_n = exact_n,
                                        .bid_spend = bid_spend,
                                        .cost_index = cost_index,
                                        .cost_name = N_("cpc"),
                                        .unit_cost = unit_cost,
                                        .keyword_count = keyword_count,
                                        .keyword = keyword,
                                        .keyword_source = keyword_source,
                                        .keyword_tally = keyword_tally,
                                        .curve_bytes = curve_bytes};
