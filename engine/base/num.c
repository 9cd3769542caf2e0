/* Numbers as planners write them (5%, 10k, 1.5M, 300 EUR, 2t) and the KPI names. */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const mpi_kpi_names[MPI_NKPI] = {"spend",   "impressions", "clicks", "conversions",
                                             "revenue", "grp",         "reach",  "co2"};
const char *const mpi_kpi_units[MPI_NKPI] = {"", "impressions", "clicks", "conversions",
                                             "", "GRP",         "people", "kg CO2e"};

int mpi_kpi_find(const char *name)
{
    if (mpi_strieq(name, "cost"))
        return MPI_SPEND;
    for (int q = 0; q < MPI_NKPI; q++)
        if (mpi_strieq(name, mpi_kpi_names[q]))
            return q;
    return -1;
}

/* The multiplier of an allowed unit suffix after a number (5%, 10k, 1.5M,
 * 2t), moving *end past it and the spaces before it; 1 when none. */
static double unit_suffix(char **end, unsigned units)
{
    char *e = *end;
    while (isspace((unsigned char)*e))
        e++;
    double mult = 1;
    if (*e == '%' && (units & MPI_U_PCT))
        mult = 0.01;
    else if ((*e == 'k' || *e == 'K') && (units & MPI_U_KM))
        mult = 1e3;
    else if (*e == 'M' && (units & MPI_U_KM))
        mult = 1e6;
    else if (*e == 't' && (units & MPI_U_TONNE))
        mult = 1e3;
    *end = mult != 1 ? e + 1 : e;
    return mult;
}

int mpi_parse_num(const char *s, unsigned units, const char *currency, double *out,
                  const char **why)
{
    char buf[128];
    size_t len = strlen(s);
    if (len >= sizeof buf) {
        *why = "too long for a number";
        return -1;
    }
    memcpy(buf, s, len + 1);
    char *p = mpi_trim(buf);
    if (!*p) {
        *why = "empty value";
        return -1;
    }
    /* strtod accepts "nan", "inf" and hex floats: planners never mean those. */
    for (char *c = p; *c; c++) {
        if (isalpha((unsigned char)*c) && c == p) {
            *why = "not a number";
            return -1;
        }
    }
    if (strchr(p, 'x') || strchr(p, 'X')) {
        *why = "not a number";
        return -1;
    }
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p) {
        *why = "not a number";
        return -1;
    }
    if (errno == ERANGE && fabs(v) > 1) {
        *why = "out of range";
        return -1;
    }
    double mult = unit_suffix(&end, units);
    while (isspace((unsigned char)*end))
        end++;
    if (*end && (units & MPI_U_CUR) && currency && mpi_strieq(end, currency))
        end += strlen(end);
    if (*end) {
        if ((units & MPI_U_CUR) && currency && strlen(end) == 3 && isupper((unsigned char)end[0]))
            *why = "currency differs from the plan's";
        else
            *why = "unexpected characters after the number";
        return -1;
    }
    v *= mult;
    if (!isfinite(v)) {
        *why = "out of range";
        return -1;
    }
    *out = v;
    return 0;
}

static mp_status get_num(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out, int strict)
{
    const char *why = NULL;
    double v;
    if (mpi_parse_num(s, units, cur, &v, &why) != 0)
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a %s number, got \"%s\" (%s)",
                           strict ? "positive" : "non-negative", s, why);
    if (strict ? !(v > 0) : !(v >= 0))
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a %s number, got \"%s\"",
                           strict ? "positive" : "non-negative", s);
    *out = v;
    return MP_OK;
}

mp_status mpi_get_pos(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                      double *out)
{
    return get_num(s, units, cur, loc, out, 1);
}

mp_status mpi_get_nonneg(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out)
{
    return get_num(s, units, cur, loc, out, 0);
}

mp_status mpi_get_frac(const char *s, const mpi_loc *loc, double *out)
{
    double v = 0;
    mp_status st = mpi_get_nonneg(s, MPI_U_PCT, NULL, loc, &v);
    if (st != MP_OK)
        return st;
    if (v > 1)
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a share between 0 and 100%%, got \"%s\"",
                           s);
    *out = v;
    return MP_OK;
}
