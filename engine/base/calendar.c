/* Dates (proleptic Gregorian, days since 1970-01-01), the plan calendar and
 * price indexes. */
#include "base.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

long mpi_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mpi_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int mpi_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[(m - 1) % 12];
}

int mpi_parse_date(const char *s, long *days)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0' || strlen(s) != 10)
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mpi_days_in_month(y, m))
        return -1;
    *days = mpi_days_from_civil(y, m, d);
    return 0;
}

/* s as D/M/YYYY (or with . or -) rewritten YYYY-MM-DD into iso: 1 when read
 * day first, 2 month first (the second number, *second, is above 12), 0 when
 * s is no such date. */
static int respell_date(const char *s, char *iso, size_t n, int *second)
{
    int a, b, y, end = 0;
    char s1, s2;
    if (sscanf(s, "%2d%c%2d%c%4d%n", &a, &s1, &b, &s2, &y, &end) != 5 || s[end] != '\0' ||
        s1 != s2 || !strchr("/.-", s1) || y < 1900 || y > 2200)
        return 0;
    int month_first = b > 12 && a <= 12;
    int d = month_first ? b : a, m = month_first ? a : b;
    if (m < 1 || m > 12 || d < 1 || d > mpi_days_in_month(y, m))
        return 0;
    snprintf(iso, n, "%04d-%02d-%02d", y, m, d);
    *second = b;
    return month_first ? 2 : 1;
}

mp_status mpi_fail_date(const mpi_loc *loc, const char *s)
{
    char iso[48];
    int second = 0, how = respell_date(s, iso, sizeof iso, &second);
    if (how == 1)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a date as YYYY-MM-DD, got \"%s\" (read day first, the "
                              "French order: write %s)"),
                           s, iso);
    if (how == 2)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a date as YYYY-MM-DD, got \"%s\" (read month first, as "
                              "%d is no month: write %s)"),
                           s, second, iso);
    return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected a date as YYYY-MM-DD, got \"%s\""), s);
}

void mpi_fmt_date(char *buf, size_t n, long days)
{
    int y, m, d;
    mpi_civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

double mpi_years_to_period(const mpi_calendar *cal, int t, long data_day)
{
    double mid = 0.5 * (double)(cal->period_start[t] + cal->period_start[t + 1]);
    return (mid - (double)data_day) / 365.25;
}

double mpi_price_index(const mpi_calendar *cal, long price_day, int t, double rate)
{
    long day = price_day >= 0 ? price_day : cal->start;
    return pow(1 + rate, mpi_years_to_period(cal, t, day));
}
