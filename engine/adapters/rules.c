/* PCRE2 adapter: the only file that includes pcre2.h. Keyword rules files:
 *
 *   [group "brand"]
 *   match = (?i)\bmaison\s+lorient\b
 *   cvr = 6%                 ; any other key overrides a search parameter
 *   [exclude]
 *   match = (?i)\b(gratuit|emploi)\b
 *
 * Patterns are UTF-8 with Unicode properties (case folding of É, \w on
 * accented letters), JIT-compiled when the platform allows, and run under a
 * match limit so that a catastrophic pattern fails with a message instead of
 * hanging. The first group that matches wins, in file order; [exclude] is
 * tried first. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "adapters.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000
/* The whole classification's bound. Each match first runs under LIGHT_LIMIT steps, which an
 * ordinary pattern on a keyword never nears; a match that needs more is run again under
 * a limit LADDER times larger, up to MATCH_LIMIT, and charged the limit it finished under
 * (at most LADDER times what it used). When the charges pass WORK_LIMIT the classification
 * stops, naming the rule: a pattern slow on every keyword but under the per-match limit
 * would otherwise run for hours over a million keywords. Retrying costs at most
 * 1 / (LADDER - 1) more than running under the full limit at once. */
#define LIGHT_LIMIT 4000
#define LADDER      4
#define WORK_LIMIT  1000000000ULL

typedef struct rule {
    char *name; /* NULL for [exclude] */
    char *pattern;
    size_t pattern_len, pattern_cap; /* continuation lines append in place */
    int line;
    pcre2_code *code;
    char **keys, **values;
    int *lines;
    size_t nkv;
} rule;

struct mpi_rules {
    char *path;
    rule *r;
    size_t n;    /* groups and the exclusion, in file order */
    int exclude; /* index of [exclude], -1 when none */
    pcre2_match_data *md;
    pcre2_match_context *mc;
    char *subject; /* the text being matched, with zeroed room after it */
    size_t subject_cap;
    mpi_strlist notes;                         /* how the file was read, when that was a guess */
    unsigned long long work_steps, work_limit; /* charged so far, and the bound */
    size_t texts;                              /* texts classified so far */
};

/* JIT-compiled code reads the subject 16 bytes at a time and may read past its
 * end (harmless within a page, but outside the allocation): match a copy with
 * room after it. */
#define SUBJECT_PAD 64

static void rule_free(rule *r)
{
    free(r->name);
    free(r->pattern);
    pcre2_code_free(r->code);
    for (size_t i = 0; i < r->nkv; i++) {
        free(r->keys[i]);
        free(r->values[i]);
    }
    free(r->keys);
    free(r->values);
    free(r->lines);
}

void mpi_rules_free(mpi_rules *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_free(&rs->r[i]);
    free(rs->r);
    free(rs->path);
    pcre2_match_data_free(rs->md);
    pcre2_match_context_free(rs->mc);
    free(rs->subject);
    mpi_strlist_free(&rs->notes);
    free(rs);
}

typedef struct parse_state {
    mpi_rules *rs;
    char *section;
} parse_state;

/* A group's name, as a plan's names, holds at most MPI_MAX_NAME characters
 * (README, Limits): 4 bytes each at most in UTF-8. */
#define GROUP_NAME_BYTES (4 * MPI_MAX_NAME + 1)

/* The name of a [group "name"] section into buf (GROUP_NAME_BYTES), *ok 0
 * for a section that is not one; a name past MPI_MAX_NAME characters is
 * refused, never cut. */
static mp_status group_name(const mpi_rules *rs, const char *section, int line, char *buf, int *ok)
{
    const char *q1 = strchr(section, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
    *ok = 0;
    if (!q1 || !q2 || q2 == q1 + 1)
        return MP_OK;
    int chars = 0;
    for (const char *p = q1 + 1; p < q2; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    size_t len = (size_t)(q2 - q1 - 1);
    if (chars > MPI_MAX_NAME || len >= GROUP_NAME_BYTES) {
        char *name = mpi_strndup(q1 + 1, len);
        mpi_loc sl = {rs->path, line, NULL};
        mp_status st = name ? mpi_fail_at(MP_ERR_LIMIT, &sl,
                                          N_("the name \"%s\" is %d characters long: a name "
                                             "holds at most %d; shorten it"),
                                          name, chars, MPI_MAX_NAME)
                            : mpi_nomem();
        free(name);
        return st;
    }
    memcpy(buf, q1 + 1, len);
    buf[len] = '\0';
    *ok = 1;
    return MP_OK;
}

/* The rule of a section, added when new; *out NULL for a section that is
 * neither [group "name"] nor [exclude]. */
static mp_status rule_for(mpi_rules *rs, const char *section, int line, rule **out)
{
    *out = NULL;
    const char *name = NULL;
    char buf[GROUP_NAME_BYTES];
    if (!strncmp(section, "group", 5)) {
        int ok;
        mp_status st = group_name(rs, section, line, buf, &ok);
        if (st != MP_OK || !ok)
            return st;
        name = buf;
    } else if (strcmp(section, "exclude")) {
        return MP_OK;
    }
    for (size_t i = 0; i < rs->n; i++) {
        rule *r = &rs->r[i];
        if ((!name && !r->name) || (name && r->name && !strcmp(name, r->name))) {
            *out = r;
            return MP_OK;
        }
    }
    rule *nr = mpi_realloc(rs->r, sizeof *nr * (rs->n + 1));
    if (!nr)
        return mpi_nomem();
    rs->r = nr;
    rule *r = &rs->r[rs->n++];
    memset(r, 0, sizeof *r);
    r->line = line;
    if (name && !(r->name = mpi_strdup(name)))
        return mpi_nomem();
    if (!name)
        rs->exclude = (int)(rs->n - 1);
    *out = r;
    return MP_OK;
}

/* A match line of rule r: the pattern, or its continuation (an indented
 * line, joined as written). */
static mp_status set_pattern(rule *r, const char *value, int continued, int line,
                             const mpi_loc *loc)
{
    if (r->pattern && !continued)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("a second match in the same group (join them with |)"));
    /* appended in place (the buffer doubles): n continuation lines cost their length, not
     * n times the pattern's */
    size_t have = continued ? r->pattern_len : 0, add = strlen(value);
    if (!continued)
        r->pattern_cap = 0;
    char *p = mpi_reserve(continued ? r->pattern : NULL, &r->pattern_cap, have + add + 1, 1);
    if (!p)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    memcpy(p + have, value, add + 1);
    r->pattern = p;
    r->pattern_len = have + add;
    r->line = line;
    return MP_OK;
}

/* Any other key of a group: an override of a search parameter. */
static mp_status add_override(rule *r, const char *key, const char *value, int line,
                              const mpi_loc *loc)
{
    if (!r->name)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("[exclude] takes only match"));
    for (size_t i = 0; i < r->nkv; i++)
        if (!strcmp(r->keys[i], key))
            return mpi_fail_at(MP_ERR_INPUT, loc, N_("duplicate key (first set at line %d)"),
                               r->lines[i]);
    char **k = mpi_realloc(r->keys, sizeof *k * (r->nkv + 1));
    if (k)
        r->keys = k;
    char **v = mpi_realloc(r->values, sizeof *v * (r->nkv + 1));
    if (v)
        r->values = v;
    int *l = mpi_realloc(r->lines, sizeof *l * (r->nkv + 1));
    if (l)
        r->lines = l;
    char *kc = k && v && l ? mpi_strdup(key) : NULL, *vc = kc ? mpi_strdup(value) : NULL;
    if (!vc) {
        free(kc);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    r->keys[r->nkv] = kc;
    r->values[r->nkv] = vc;
    r->lines[r->nkv] = line;
    r->nkv++;
    return MP_OK;
}

static mp_status on_rule(void *user, const char *section, const char *key, const char *value,
                         int line, int continued)
{
    parse_state *ps = user;
    mpi_rules *rs = ps->rs;
    mpi_loc loc = {rs->path, line, key};
    rule *r;
    mp_status st = rule_for(rs, section, line, &r);
    if (st != MP_OK || !key)
        return st; /* a header makes its rule: an empty one has no pattern */
    if (!r) {
        mpi_loc sl = {rs->path, line, NULL};
        return mpi_fail_at(
            MP_ERR_INPUT, &sl,
            N_("expected [group \"name\"] or [exclude] (names up to %d characters), got [%s]"),
            MPI_MAX_NAME, section);
    }
    if (!r->pattern && r->nkv == 0)
        r->line = line; /* messages give a rule's first key, not its header */
    if (!strcmp(key, "match"))
        return set_pattern(r, value, continued, line, &loc);
    return add_override(r, key, value, line, &loc);
}

mp_status mpi_rules_load(const char *path, mpi_rules **out)
{
    *out = NULL;
    mpi_rules *rs = mpi_calloc(1, sizeof *rs);
    if (!rs || !(rs->path = mpi_strdup(path))) {
        free(rs);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    rs->exclude = -1;
    parse_state ps = {rs, NULL};
    mp_status st = mpi_ini_parse(path, &rs->notes, on_rule, &ps);
    if (st == MP_OK && rs->n == 0)
        st = mpi_fail(MP_ERR_INPUT, N_("%s: no [group \"name\"] section"), path);
    for (size_t i = 0; st == MP_OK && i < rs->n; i++) {
        rule *r = &rs->r[i];
        mpi_loc loc = {path, r->line, "match"};
        if (!r->pattern) {
            st = mpi_fail_at(MP_ERR_INPUT, &loc,
                             r->name ? N_("group \"%s\" has no match pattern")
                                     : N_("[exclude] has no match pattern"),
                             r->name ? r->name : "");
            break;
        }
        int err;
        PCRE2_SIZE off;
        r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                                PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
        if (!r->code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            st = mpi_fail_at(MP_ERR_INPUT, &loc,
                             N_("pattern \"%s\" does not compile at offset %zu: %s"), r->pattern,
                             (size_t)off, (const char *)msg);
            break;
        }
        pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* the interpreter is used without it */
    }
    if (st == MP_OK) {
        rs->md = pcre2_match_data_create(8, NULL);
        rs->mc = pcre2_match_context_create(NULL);
        if (!rs->md || !rs->mc)
            st = mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
        else {
            pcre2_set_depth_limit(rs->mc, DEPTH_LIMIT);
            rs->work_limit = WORK_LIMIT;
        }
    }
    if (st != MP_OK) {
        mpi_rules_free(rs);
        return st;
    }
    *out = rs;
    return MP_OK;
}

/* pcre2_match under a ladder of step limits (see LIGHT_LIMIT); the limit it finished
 * under is charged to the classification's work when above the first rung. */
static int match_laddered(mpi_rules *rs, const rule *r, const char *text, size_t len)
{
    uint32_t limit = LIGHT_LIMIT;
    int rc;
    for (;;) {
        pcre2_set_match_limit(rs->mc, limit);
        rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, rs->md, rs->mc);
        if (rc != PCRE2_ERROR_MATCHLIMIT || limit >= MATCH_LIMIT)
            break;
        limit = limit > MATCH_LIMIT / LADDER ? MATCH_LIMIT : limit * LADDER;
    }
    if (limit > LIGHT_LIMIT)
        rs->work_steps += limit;
    return rc;
}

/* *matched = 1 when r matches text, 0 when not; fails on a match error (the per-match
 * limit) or when the classification's work passes its bound, naming the rule. */
static mp_status rule_match(mpi_rules *rs, const rule *r, const char *text, size_t len,
                            int *matched)
{
    int rc = match_laddered(rs, r, text, len);
    mpi_loc loc = {rs->path, r->line, "match"};
    if (rs->work_steps > rs->work_limit)
        return mpi_fail_at(
            MP_ERR_LIMIT, &loc,
            N_("pattern \"%s\" needs too much work: the keyword rules used more than "
               "%llu match steps by keyword %zu (simplify the pattern)"),
            r->pattern, rs->work_limit, rs->texts);
    *matched = rc >= 0;
    if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
        return MP_OK;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    int shown = (int)mpi_utf8_floor(text, len < 60 ? len : 60); /* whole characters only */
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("pattern \"%s\" failed on \"%.*s%s\": %s (simplify the pattern)"),
                       r->pattern, shown, text, len > 60 ? "..." : "", (const char *)msg);
}

void mpi_rules_set_work_limit(mpi_rules *rs, unsigned long long steps)
{
    if (rs)
        rs->work_limit = steps;
}

mp_status mpi_rules_classify(mpi_rules *rs, const char *text, int *group)
{
    *group = MPI_RULES_UNMATCHED;
    size_t len = strlen(text);
    if (len + SUBJECT_PAD > rs->subject_cap) {
        char *b = mpi_realloc(rs->subject, len + SUBJECT_PAD);
        if (!b)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
        rs->subject = b;
        rs->subject_cap = len + SUBJECT_PAD;
    }
    memcpy(rs->subject, text, len);
    memset(rs->subject + len, 0, rs->subject_cap - len);
    text = rs->subject;
    rs->texts++;
    int m = 0;
    mp_status st = MP_OK;
    if (rs->exclude >= 0)
        st = rule_match(rs, &rs->r[rs->exclude], text, len, &m);
    if (st != MP_OK)
        return st;
    if (m) {
        *group = MPI_RULES_EXCLUDED;
        return MP_OK;
    }
    for (size_t i = 0; i < rs->n; i++) {
        if ((int)i == rs->exclude)
            continue;
        st = rule_match(rs, &rs->r[i], text, len, &m);
        if (st != MP_OK)
            return st;
        if (m) {
            *group = (int)i;
            return MP_OK;
        }
    }
    return MP_OK;
}

size_t mpi_rules_count(const mpi_rules *rs)
{
    return rs->n;
}

const char *mpi_rules_name(const mpi_rules *rs, size_t i)
{
    return i < rs->n ? rs->r[i].name : NULL;
}

size_t mpi_rules_kv(const mpi_rules *rs, size_t i, size_t k, const char **key, const char **value,
                    int *line)
{
    if (i >= rs->n)
        return 0;
    const rule *r = &rs->r[i];
    if (k < r->nkv) {
        *key = r->keys[k];
        *value = r->values[k];
        *line = r->lines[k];
    }
    return r->nkv;
}

const char *mpi_rules_path(const mpi_rules *rs)
{
    return rs->path;
}

const char *mpi_rules_note(const mpi_rules *rs)
{
    return rs->notes.n ? rs->notes.v[0] : NULL;
}
