/* Uncertain curves: a channel's response parameters as draws (a posterior
 * sample, draws = FILE) or as ranges (beta = 620 +- 15%). Each draw is a
 * plain curve; the channel responds with their weighted mean (response.c),
 * which is concave when each draw is, so every curve, bound and exact figure
 * of the engine works on it unchanged. A range is three draws, low, base and
 * high at base x (1 - r), base, base x (1 + r), weighted 1/6, 2/3, 1/6: the
 * Pearson-Tukey-like three-point rule of the PERT weights (Keefer & Bodily,
 * "Three-point approximations for continuous random variables", Management
 * Science 29(5), 1983), whose mean is the base value. */
#include "models.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double mpi_range_weight[3] = {1.0 / 6, 4.0 / 6, 1.0 / 6};

/* The keys that take a range or a draws column, their units, and where a
 * curve keeps them (offset 0: not a curve's number). */
typedef struct range_key {
    const char *name;
    unsigned units;
    size_t off;
} range_key;

static const range_key rkeys[MPI_RK_COUNT] = {
    [MPI_RK_BETA] = {"beta", MPI_U_KM, offsetof(mpi_resp, beta)},
    [MPI_RK_EC] = {"ec", MPI_U_KM | MPI_U_CUR, offsetof(mpi_resp, ec)},
    [MPI_RK_SLOPE] = {"slope", 0, offsetof(mpi_resp, slope)},
    [MPI_RK_K] = {"k", MPI_U_KM | MPI_U_CUR, offsetof(mpi_resp, k)},
    [MPI_RK_LAMBDA] = {"lambda", 0, offsetof(mpi_resp, lambda)},
    [MPI_RK_SCALE] = {"scale", MPI_U_KM | MPI_U_CUR, offsetof(mpi_resp, scale)},
    [MPI_RK_VALUE] = {"value", MPI_U_CUR, offsetof(mpi_resp, value)},
    [MPI_RK_CVR] = {"cvr", 0, 0},
    [MPI_RK_CTR] = {"ctr", 0, 0},
};

static double *field(mpi_resp *r, int k)
{
    return (double *)(void *)((char *)r + rkeys[k].off);
}

int mpi_range_key(const char *k)
{
    if (!strcmp(k, "response_k"))
        return MPI_RK_K;
    for (int i = 0; i < MPI_RK_COUNT; i++)
        if (!strcmp(k, rkeys[i].name))
            return i;
    return -1;
}

/* The sign of a range in v: "\u00b1", "+/-" (as French decks and Excel write
 * it) or "+-"; its length in *len, or NULL. */
static const char *range_sign(const char *v, size_t *len)
{
    static const char *const signs[] = {"\u00b1", "+/-", "+-"};
    for (size_t i = 0; i < sizeof signs / sizeof *signs; i++) {
        const char *s = strstr(v, signs[i]);
        if (s) {
            *len = strlen(signs[i]);
            return s;
        }
    }
    return NULL;
}

/* s[0..len) without the blanks at its end: the new length. */
static size_t trim_end(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len;
}

int mpi_range_split(const char *v, char *buf, size_t n, const char **rel)
{
    size_t sign;
    const char *s = range_sign(v, &sign);
    if (!s || n < 2)
        return 0;
    size_t len = trim_end(v, (size_t)(s - v));
    int paren = len > 0 && v[len - 1] == '('; /* "620 (+/- 15%)" */
    if (paren)
        len = trim_end(v, len - 1);
    const char *r = s + sign;
    while (*r == ' ' || *r == '\t')
        r++;
    size_t rlen = trim_end(r, strlen(r));
    if (paren && rlen > 0 && r[rlen - 1] == ')')
        rlen = trim_end(r, rlen - 1);
    if (len > n / 2 - 1)
        len = n / 2 - 1;
    if (rlen > n - len - 2)
        rlen = n - len - 2;
    memcpy(buf, v, len); /* base, then the range after it in the same buffer */
    buf[len] = '\0';
    memcpy(buf + len + 1, r, rlen);
    buf[len + 1 + rlen] = '\0';
    *rel = buf + len + 1;
    return 1;
}

/* Why key k cannot take a range on a channel of type, or NULL when it can. */
static const char *range_refused(int k, const char *type)
{
    int search = !strcmp(type, "search"), social = !strcmp(type, "social");
    if (k == MPI_RK_CTR && search)
        return N_("a search channel's ctr sets how much each bid spends as well as what it "
                  "brings, so its draws are different curves of spend: give a range on cvr "
                  "instead");
    if ((k == MPI_RK_CVR || k == MPI_RK_CTR) && !search && !social)
        return N_("only search (cvr) and social (cvr, ctr) channels take a range on a rate");
    return NULL;
}

/* A rate's range must keep its high point a rate: base x (1 + h) <= 100 %. */
static mp_status rate_range_check(const mpi_loc *loc, const char *base, double h)
{
    double b;
    mp_status st = mpi_get_frac(base, loc, &b);
    if (st != MP_OK || !(b * (1 + h) > 1))
        return st;
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("the range's high point %g%% x (1 + %g%%) = %g%% passes 100%%: a rate "
                          "is at most 100%%; give at most +- %.3g%%"),
                       b * 100, h * 100, b * (1 + h) * 100, (1 / b - 1) * 100);
}

/* Why key k, a number of the model's own (tv's reach k, search's value),
 * takes no range, or NULL. */
static const char *own_key_refused(const mpi_channel *ch, const char *key)
{
    for (const char *const *m = ch->ops->keys; *m; m++)
        if (!strcmp(*m, key))
            return !strcmp(key, "k")
                       ? N_("this key is the channel's own (its reach constant), not a curve's, "
                            "and takes no range: a response curve's k is response_k here")
                       : N_("this key is the channel's own number, not a response curve's, and "
                            "takes no range (+-): on this channel a range goes on cvr (search, "
                            "social) or ctr (social), or on its response curve's numbers when "
                            "it has one");
    return NULL;
}

mp_status mpi_range_set(mpi_resp *r, const mpi_channel *ch, const mpi_loc *loc, const char *base,
                        const char *rel)
{
    int k = mpi_range_key(loc->key);
    const char *own = k >= 0 && k < MPI_RK_CVR ? own_key_refused(ch, loc->key) : NULL;
    if (own)
        return mpi_fail_at(MP_ERR_INPUT, loc, "%s", mpi_tr(mpi_msg_lang(), own));
    if (k < 0)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("this key takes no range (+-): only a response curve's beta, ec, "
                              "slope, k, lambda, scale and value, and cvr or ctr, do"));
    const char *why = range_refused(k, ch->ops->type);
    if (why)
        return mpi_fail_at(MP_ERR_INPUT, loc, "%s", mpi_tr(mpi_msg_lang(), why));
    double h;
    mp_status st = mpi_get_frac(rel, loc, &h);
    if (st == MP_OK && !(h > 0 && h < 1))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a range above 0 and below 100%% after +-, as in "
                              "\"620 +- 15%%\", got \"%s\""),
                           rel);
    if (st == MP_OK && k >= MPI_RK_CVR)
        st = rate_range_check(loc, base, h);
    if (st != MP_OK)
        return st;
    r->range[k] = h;
    r->range_line[k] = loc->line;
    return MP_OK;
}

/* Room for n draws, each a copy of r's plain curve. */
static mp_status draws_alloc(mpi_resp *r, size_t n, int factors)
{
    r->dr = mpi_calloc(n, sizeof *r->dr);
    r->dw = mpi_calloc(n, sizeof *r->dw);
    r->factor = factors ? mpi_calloc(n, sizeof *r->factor) : NULL;
    if (!r->dr || !r->dw || (factors && !r->factor))
        return mpi_nomem();
    for (size_t d = 0; d < n; d++) {
        r->dr[d] = *r;
        r->dr[d].nd = 0;
        r->dr[d].dr = NULL;
        r->dr[d].dw = r->dr[d].factor = NULL;
        r->dr[d].draws_path = r->dr[d].source = NULL;
        r->dr[d].tx = r->dr[d].ty = NULL;
        r->dr[d].ids = NULL;
        r->dr[d].dline = NULL;
        r->dr[d].grp = NULL;
        r->dr[d].ng = 0;
        r->dw[d] = 1.0 / (double)n;
        if (factors)
            r->factor[d] = 1;
    }
    r->nd = n;
    return MP_OK;
}

/* The plan's limits hold for every draw: a curve's scale (ec, k, scale) as
 * in the plan (README, Limits). */
static mp_status draw_limit(const mpi_loc *loc, int k, const double *v, const char *currency)
{
    if (k != MPI_RK_EC && k != MPI_RK_K && k != MPI_RK_SCALE)
        return MP_OK;
    return mpi_check_limit(MP_OK, loc, v, &mpi_limit_curve_scale, currency);
}

/* The channel's ranges as three draws: every ranged key at its low, base
 * and high together (one channel's ranges move together, as the columns of
 * a three-row draws file would). */
static mp_status ranges_to_draws(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    int rate = -1, curve = -1;
    for (int k = 0; k < MPI_RK_COUNT; k++)
        if (r->range[k] > 0) {
            if (k == MPI_RK_CVR || k == MPI_RK_CTR) {
                mpi_loc loc = {ctx->plan_path, r->range_line[k], rkeys[k].name};
                if (rate >= 0 || curve >= 0)
                    return mpi_fail_at(
                        MP_ERR_INPUT, &loc,
                        N_("channel \"%s\": one range on a rate (cvr or ctr) and none on its "
                           "curve: the rate's draws scale the channel's whole response"),
                        ch->name);
                rate = k;
            } else if (rate >= 0) {
                mpi_loc loc = {ctx->plan_path, r->range_line[k], rkeys[k].name};
                return mpi_fail_at(MP_ERR_INPUT, &loc,
                                   N_("channel \"%s\": one range on a rate (cvr or ctr) and none "
                                      "on its curve: the rate's draws scale the channel's whole "
                                      "response"),
                                   ch->name);
            } else {
                curve = k;
            }
        }
    if (rate < 0 && curve < 0)
        return MP_OK;
    mp_status st = draws_alloc(r, 3, rate >= 0);
    for (size_t d = 0; st == MP_OK && d < 3; d++) {
        double m = d == 0 ? -1 : d == 1 ? 0 : 1;
        r->dw[d] = mpi_range_weight[d];
        if (rate >= 0) {
            r->factor[d] = 1 + m * r->range[rate];
            continue;
        }
        for (int k = 0; st == MP_OK && k <= MPI_RK_VALUE; k++)
            if (r->range[k] > 0) {
                *field(&r->dr[d], k) = *field(r, k) * (1 + m * r->range[k]);
                mpi_loc loc = {ctx->plan_path, r->range_line[k], rkeys[k].name};
                st = draw_limit(&loc, k, field(&r->dr[d], k), ctx->currency);
            }
    }
    if (rate >= 0) /* a rate scales clicks (ctr) and what follows them */
        r->factor_q = (1u << MPI_CONVERSIONS) | (1u << MPI_REVENUE) |
                      (rate == MPI_RK_CTR ? 1u << MPI_CLICKS : 0);
    return st;
}

/* The range keys a curve family takes, as a bit set. */
static unsigned family_keys(int family)
{
    unsigned base = 1u << MPI_RK_BETA | 1u << MPI_RK_VALUE;
    switch (family) {
    case MPI_FAM_HILL: return base | 1u << MPI_RK_EC | 1u << MPI_RK_SLOPE;
    case MPI_FAM_EXP:
    case MPI_FAM_MM: return base | 1u << MPI_RK_K;
    case MPI_FAM_LOGISTIC: return base | 1u << MPI_RK_LAMBDA | 1u << MPI_RK_SCALE;
    }
    return 0;
}

/* "beta, ec, slope, value": the keys of r's family, into buf. */
static const char *family_list(const mpi_resp *r, char *buf, size_t n)
{
    unsigned set = family_keys(r->family);
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k <= MPI_RK_VALUE; k++)
        if (set & 1u << k && used < n)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", rkeys[k].name);
    return buf;
}

static const char *const family_word[] = {"", "hill", "exp", "logistic", "michaelis-menten", ""};

/* Why header cell h is no column of r's draws file (its key's index is k). */
static mp_status header_refused(const mpi_resp *r, const mpi_loc *loc, int k)
{
    char keys[64];
    const char *h = loc->key, *why;
    family_list(r, keys, sizeof keys);
    if (k >= 0 && k <= MPI_RK_VALUE)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("not a key of a %s curve (%s)"),
                           family_word[r->family], keys);
    double x;
    if (mpi_parse_num(h, MPI_U_KM, NULL, &x, &why) == 0)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("a number where the header belongs: the first line must name the "
                              "columns, draw and chain (optional) and the curve's %s"),
                           keys);
    const char *near = mpi_strieq(h, "draw") ? "draw" : mpi_strieq(h, "chain") ? "chain" : NULL;
    for (int i = 0; i <= MPI_RK_VALUE && !near; i++)
        if (mpi_strieq(h, rkeys[i].name))
            near = rkeys[i].name;
    if (near)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("not a curve key (did you mean \"%s\"? column names are lower "
                              "case): the columns are draw and chain (optional) and the curve's "
                              "%s"),
                           near, keys);
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("not a curve key: the columns are draw and chain (optional) and the "
                          "curve's %s"),
                       keys);
}

#define COL_DRAW  (-1)
#define COL_CHAIN (-2)

/* Why header cell h, PyMC-Marketing's name of a curve key or an adstock,
 * is refused, or NULL. */
static const char *header_hint(const char *h)
{
    if (!strcmp(h, "saturation_beta"))
        return N_("PyMC-Marketing's saturation_beta is in units of its target_scale: the "
                  "column is beta = saturation_beta x target_scale (README, Posterior draws "
                  "from Meridian and PyMC-Marketing)");
    if (!strcmp(h, "adstock_alpha") || !strcmp(h, "adstock") || !strcmp(h, "theta"))
        return N_("adstock cannot vary by draw: the decay is in the plan's rows (one carryover "
                  "per channel), not in its curve; give the channel one adstock (the "
                  "posterior mean, say) and drop the column");
    return NULL;
}

/* The draws file's header: col[j] the range key of column j, COL_DRAW or
 * COL_CHAIN for the ids. PyMC-Marketing's saturation_lam is lambda (README,
 * Posterior draws from Meridian and PyMC-Marketing). */
static mp_status draws_header(const mpi_resp *r, const mpi_table *t, size_t row, int *col)
{
    for (size_t j = 0; j < t->ncols[row]; j++) {
        const char *h = t->rows[row][j];
        const char *hint = header_hint(h);
        mpi_loc loc = {r->draws_path, t->line[row], *h ? h : NULL};
        int k = mpi_range_key(strcmp(h, "saturation_lam") ? h : "lambda");
        if (!*h || !strncmp(h, "Unnamed:", 8)) /* pandas' name for an unnamed index */
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("column %zu of the header has no name: a pandas index? write "
                                  "the file with to_csv(..., index=False), or drop the column"),
                               j + 1);
        if (hint)
            return mpi_fail_at(MP_ERR_INPUT, &loc, "%s", mpi_tr(mpi_msg_lang(), hint));
        if (!strcmp(h, "draw") || !strcmp(h, ".draw"))
            col[j] = COL_DRAW;
        else if (!strcmp(h, "chain") || !strcmp(h, ".chain"))
            col[j] = COL_CHAIN;
        else if (k < 0 || k > MPI_RK_VALUE || !(family_keys(r->family) & 1u << k))
            return header_refused(r, &loc, k);
        else
            col[j] = k;
        for (size_t i = 0; i < j; i++)
            if (col[i] == col[j])
                return mpi_fail_at(MP_ERR_INPUT, &loc, N_("this column is given twice"));
    }
    return MP_OK;
}

/* The id of row i ("draw", or "chain/draw"), or NULL for no draw column
 * (*st set when out of memory). */
static char *row_id(const mpi_table *t, size_t i, const int *col, size_t ncol, mp_status *st)
{
    const char *draw = NULL, *chain = NULL;
    for (size_t j = 0; j < ncol; j++) {
        if (col[j] == COL_DRAW)
            draw = mpi_trim(t->rows[i][j]);
        else if (col[j] == COL_CHAIN)
            chain = mpi_trim(t->rows[i][j]);
    }
    if (!draw)
        return NULL;
    size_t n = strlen(draw) + (chain ? strlen(chain) + 1 : 0) + 1;
    char *id = mpi_malloc(n);
    if (!id)
        *st = mpi_nomem();
    else
        snprintf(id, n, "%s%s%s", chain ? chain : "", chain ? "/" : "", draw);
    return id;
}

/* "draw, beta, k": the header's columns, into buf. */
static const char *header_list(const mpi_table *t, size_t head, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < t->ncols[head] && used < n; j++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", j ? ", " : "", t->rows[head][j]);
    return buf;
}

/* Row i has another number of values than the header (row head) has
 * columns: named by the first column it lacks, or the header's last. */
static mp_status row_width_refused(const mpi_resp *r, const mpi_table *t, size_t head, size_t i)
{
    size_t ncol = t->ncols[head], got = t->ncols[i];
    char cols[256];
    header_list(t, head, cols, sizeof cols);
    mpi_loc loc = {r->draws_path, t->line[i], t->rows[head][got < ncol ? got : ncol - 1]};
    if (got < ncol)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           mpi_trn(mpi_msg_lang(),
                                   "no value: the row has %zu value where the header has %zu "
                                   "columns (%s); give one value per column",
                                   "no value: the row has %zu values where the header has %zu "
                                   "columns (%s); give one value per column",
                                   (unsigned long)got),
                           got, ncol, cols);
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("a value past the last column: the row has %zu values where the "
                          "header has %zu columns (%s); give one value per column"),
                       got, ncol, cols);
}

/* A value of a file read with delimiter delim, in buf: a semicolon file's
 * decimal comma made a point ("531,063" is 531.063 in a French Excel CSV,
 * whose thousands are grouped with spaces if at all). */
static const char *decimal_point(const char *v, char delim, char *buf, size_t n)
{
    const char *comma = strchr(v, ',');
    if (delim != ';' || !comma || strchr(comma + 1, ',') || strchr(v, '.') || strlen(v) >= n)
        return v;
    memcpy(buf, v, strlen(v) + 1);
    buf[comma - v] = '.';
    return buf;
}

/* Row i of the draws file (header at row head) into draw d. */
static mp_status draws_row(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_table *t, size_t head,
                           size_t i, const int *col, size_t d)
{
    size_t ncol = t->ncols[head];
    if (t->ncols[i] != ncol)
        return row_width_refused(r, t, head, i);
    mp_status st = MP_OK;
    r->dline[d] = t->line[i];
    for (size_t j = 0; j < ncol && st == MP_OK; j++) {
        if (col[j] < 0)
            continue;
        mpi_loc loc = {r->draws_path, t->line[i], rkeys[col[j]].name};
        double *v = field(&r->dr[d], col[j]);
        char num[64];
        const char *text = decimal_point(t->rows[i][j], t->delim, num, sizeof num);
        st = mpi_get_pos(text, rkeys[col[j]].units, ctx->currency, &loc, v);
        if (st == MP_OK)
            st = draw_limit(&loc, col[j], v, ctx->currency);
    }
    if (st == MP_OK && r->ids)
        r->ids[d] = row_id(t, i, col, ncol, &st);
    return st;
}

/* Whether row i carries nothing: blank, or a # comment. */
static int row_skipped(const mpi_table *t, size_t i)
{
    return !t->ncols[i] || (t->ncols[i] == 1 && !*mpi_trim(t->rows[i][0])) ||
           t->rows[i][0][0] == '#';
}

/* Whether the header has a draw column. */
static int has_draw_col(const int *col, size_t ncol)
{
    for (size_t j = 0; j < ncol; j++)
        if (col[j] == COL_DRAW)
            return 1;
    return 0;
}

/* Whether a load that lists its errors (validate) goes on past a bad row:
 * while its list has room for this error and one more. */
static int go_on_rows(const mpi_model_ctx *ctx, mp_status st)
{
    return st == MP_ERR_INPUT && ctx->errors && ctx->errors->n + 2 <= ctx->max_errors;
}

/* The draws of table t after its header (row head): n rows of data; a bad
 * row's error listed and the next row read when the load lists its errors,
 * the last one returned. */
static mp_status table_to_draws(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_table *t,
                                size_t head, size_t n, int *col)
{
    size_t ncol = t->ncols[head];
    mp_status st = draws_header(r, t, head, col);
    if (st == MP_OK)
        st = draws_alloc(r, n, 0);
    if (st == MP_OK) {
        r->dline = mpi_calloc(n, sizeof *r->dline);
        r->ids = has_draw_col(col, ncol) ? mpi_calloc(n, sizeof *r->ids) : NULL;
        if (!r->dline || (has_draw_col(col, ncol) && !r->ids))
            st = mpi_nomem();
    }
    size_t d = 0;
    char *pending = NULL; /* a bad row's error not listed yet */
    mp_status bad = MP_OK;
    for (size_t i = head + 1; st == MP_OK && i < t->nrows; i++) {
        if (row_skipped(t, i))
            continue;
        mp_status rs = draws_row(r, ctx, t, head, i, col, d++);
        if (rs == MP_OK)
            continue;
        if (pending) /* the one before is listed, this one may be returned */
            st = mpi_strlist_addf(ctx->errors, "%s", pending);
        free(pending);
        pending = NULL;
        if (st == MP_OK && go_on_rows(ctx, rs)) {
            bad = rs;
            if (!(pending = mpi_strdup(mp_last_error())))
                st = mpi_nomem();
        } else if (st == MP_OK) {
            st = rs;
        }
    }
    if (st == MP_OK && pending)
        st = mpi_fail(bad, "%s", pending);
    free(pending);
    return st;
}

/* A draws file that failed: its draws dropped, its path kept (nd 0 with a
 * path says so to mpi_draws_load). */
static void draws_discard(mpi_resp *r)
{
    char *path = r->draws_path;
    r->draws_path = NULL;
    mpi_draws_free(r);
    r->draws_path = path;
}

/* draws = FILE: one row per draw, equally weighted; blank rows and # comment
 * lines skipped. */
static mp_status file_to_draws(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    mpi_loc key = {ctx->plan_path, r->draws_line, "draws"};
    mpi_table t;
    mp_status st = ctx->io->read_table(ctx, r->draws_path, 0, &t);
    if (st != MP_OK)
        return mpi_fail_at(st, &key, "%s", mp_last_error());
    size_t head = 0, n = 0;
    while (head < t.nrows && row_skipped(&t, head))
        head++;
    for (size_t i = head + 1; i < t.nrows; i++)
        n += !row_skipped(&t, i);
    int *col = head < t.nrows ? mpi_calloc(t.ncols[head] + 1, sizeof *col) : NULL;
    char many[32], most[32];
    mpi_fmt_num(mpi_msg_lang(), many, sizeof many, (double)n, 0);
    mpi_fmt_num(mpi_msg_lang(), most, sizeof most, MPI_MAX_DRAWS, 0);
    if (n == 0)
        st = mpi_fail_at(MP_ERR_INPUT, &key,
                         N_("channel \"%s\": %s has no draws (a header, then one row per draw)"),
                         ch->name, r->draws_path);
    else if (n > MPI_MAX_DRAWS)
        st = mpi_fail_at(MP_ERR_INPUT, &key,
                         N_("channel \"%s\": %s draws, more than %s: thin the posterior (keep "
                            "every k-th draw) to at most %s"),
                         ch->name, many, most, most);
    else if (!col)
        st = mpi_nomem();
    if (st == MP_OK)
        st = table_to_draws(r, ctx, &t, head, n, col);
    if (st != MP_OK) /* its errors are listed: no alignment is judged on part of them */
        draws_discard(r);
    free(col);
    mpi_table_free(&t);
    return st;
}

mp_status mpi_draws_build(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    int ranged = -1;
    for (int k = 0; k < MPI_RK_COUNT; k++)
        if (r->range[k] > 0)
            ranged = k;
    if (!r->draws_path && ranged < 0)
        return MP_OK;
    int curve_keys = r->draws_path || (ranged >= 0 && ranged <= MPI_RK_VALUE);
    int line = r->draws_path ? r->draws_line : r->range_line[ranged];
    mpi_loc loc = {ctx->plan_path, line, r->draws_path ? "draws" : rkeys[ranged].name};
    if (r->draws_path && ranged >= 0)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": draws = FILE or ranges (+-), not both: put the "
                              "ranged key's values in the file"),
                           ch->name);
    if (curve_keys && r->family == MPI_FAM_NONE)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": draws of a curve need the curve (curve = hill | "
                              "exp | logistic | michaelis-menten)"),
                           ch->name);
    if (curve_keys && r->family == MPI_FAM_TABLE)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": a table of points has no parameters to draw: "
                              "give draws of a hill, exp, logistic or michaelis-menten curve"),
                           ch->name);
    return r->draws_path ? file_to_draws(r, ctx, ch) : ranges_to_draws(r, ctx, ch);
}

mp_status mpi_draws_cross(mpi_resp *r, const double *wn, size_t n, const double *wm, size_t m,
                          int outer)
{
    if (!n || !m || m > SIZE_MAX / n || r->nd != (outer ? m : n))
        return MP_OK; /* nothing to cross: the caller's counts are r's */
    size_t nd = n * m;
    mpi_resp *dr = mpi_calloc(nd, sizeof *dr);
    double *dw = mpi_calloc(nd, sizeof *dw);
    double *factor = r->factor ? mpi_calloc(nd, sizeof *factor) : NULL;
    int *dline = r->dline ? mpi_calloc(nd, sizeof *dline) : NULL;
    if (!dr || !dw || (r->factor && !factor) || (r->dline && !dline)) {
        free(dr);
        free(dw);
        free(factor);
        free(dline);
        return mpi_nomem();
    }
    for (size_t j = 0; j < nd; j++) {
        size_t p = j / n, d = j % n, s = outer ? p : d;
        dr[j] = r->dr[s];
        dw[j] = wn[d] * wm[p];
        if (factor)
            factor[j] = r->factor[s];
        if (dline)
            dline[j] = r->dline[s];
    }
    size_t own = r->nd;
    char *path = r->draws_path;
    r->draws_path = NULL;
    mpi_draws_free(r); /* ids, groups and the draws as they were */
    r->draws_path = path;
    r->dr = dr;
    r->dw = dw;
    r->factor = factor;
    r->dline = dline;
    r->nd = nd;
    r->nd_own = own;
    return factor ? MP_OK : mpi_resp_group(r);
}

void mpi_channel_draw(const mpi_channel *ch, size_t d, mpi_channel *out)
{
    *out = *ch;
    out->resp = ch->resp.dr[d];
}

void mpi_draws_free(mpi_resp *r)
{
    free(r->dr);
    free(r->dw);
    free(r->factor);
    free(r->draws_path);
    for (size_t d = 0; r->ids && d < r->nd; d++)
        free(r->ids[d]);
    free(r->ids);
    free(r->dline);
    free(r->grp);
    r->grp = NULL;
    r->ng = 0;
    r->ids = NULL;
    r->dline = NULL;
    r->dr = NULL;
    r->dw = r->factor = NULL;
    r->draws_path = NULL;
    r->nd = 0;
}
