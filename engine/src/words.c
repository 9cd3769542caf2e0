/* The plan in words, in the reader's language: a binding row's bound, what
 * one unit more of it is worth and over which range, as the terminal and
 * the workbook's Summary and Constraints sheets say it (report.h). */
#include "report.h"

#include <string.h>

/* snprintf's "%.Ng" of v, with French's decimal comma. */
static void fmt_g(mpi_lang lang, char *b, size_t n, int digits, double v)
{
    snprintf(b, n, "%.*g", digits, v);
    if (lang == MPI_LANG_FR)
        for (char *p = b; *p; p++)
            *p = *p == '.' ? ',' : *p;
}

/* A price with three significant digits, thousands separated. */
static void fmt_price(mpi_lang lang, char *b, size_t n, double v)
{
    double a = fabs(v);
    if (a >= 1 || a == 0)
        mpi_fmt_sig3(lang, b, n, v);
    else
        fmt_g(lang, b, n, 3, v);
}

static int pct_measure(const mpi_expr *e)
{
    return e && (e->measure == MPI_M_SHARE || e->measure == MPI_M_ROAS);
}

/* A bound in money: CPA caps, spend and revenue rows, implicit rows. */
static int money_measure(const mpi_expr *e)
{
    return !e || e->measure == MPI_M_CPA ||
           (e->measure == MPI_M_KPI && !*mpi_kpi_units[mpi_expr_bound_kpi(e)]);
}

/* row's bound as the planner wrote it, in lang's numbers: "65 EUR", "2,000
 * EUR", "142.50 EUR", "600 conversions"; without its unit when unit is 0 or
 * it has none. */
static void bound_amount(const mpi_report *r, const mpi_report_row *row, mpi_lang lang,
                         int unit_too, char *buf, size_t n)
{
    const mpi_expr *e = row->cons ? &row->cons->e : NULL;
    char b[64];
    mpi_fmt_num(lang, b, sizeof b, row->bound, row->bound == floor(row->bound) ? 0 : 2);
    const char *unit = money_measure(e) ? r->plan->currency
                       : e->measure == MPI_M_KPI
                           ? mpi_tr(lang, mpi_kpi_units[mpi_expr_bound_kpi(e)])
                           : "";
    snprintf(buf, n, *unit && unit_too ? "%s %s" : "%s", b, unit);
}

/* A row the plan's keys make, as the planner knows it, with its amount:
 * "the budget of 450,000 EUR", "meta's max_spend of 250,000 EUR", never
 * the LP's name for it ("max_spend_meta"). */
static void implicit_bound(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                           size_t n)
{
    const char *ch =
        row->ref >= 0 && (size_t)row->ref < r->plan->nch ? r->plan->ch[row->ref].name : "";
    char b[64];
    bound_amount(r, row, lang, 1, b, sizeof b);
    switch (row->kind) {
    case MPI_ROW_BUDGET: snprintf(buf, n, mpi_tr(lang, "the budget of %s"), b); break;
    case MPI_ROW_PERIOD:
        snprintf(buf, n, mpi_tr(lang, "the budget of period %d (%s)"), row->ref + 1, b);
        break;
    case MPI_ROW_MIN: snprintf(buf, n, mpi_tr(lang, "%s's min_spend of %s"), ch, b); break;
    case MPI_ROW_MAX: snprintf(buf, n, mpi_tr(lang, "%s's max_spend of %s"), ch, b); break;
    case MPI_ROW_FIXED: snprintf(buf, n, mpi_tr(lang, "%s's fixed_spend of %s"), ch, b); break;
    default: snprintf(buf, n, "%s", row->expr); /* what the row says, in words */
    }
}

/* "offline-share >= 30 %", "cpa <= 65 EUR", "leads: conversions >= 400"; an
 * implicit row as implicit_bound says it. */
static void row_bound(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                      size_t n)
{
    const mpi_expr *e = row->cons ? &row->cons->e : NULL;
    char b[64], what[MPI_TEXT_MAX];
    if (!e) {
        implicit_bound(r, row, lang, buf, n);
        return;
    }
    if (r->plan->obj_eff && row->ref == (int)r->plan->obj_eff_cons) { /* not "objective >= X" */
        mpi_effective_objective_label(lang, r->plan, what, sizeof what);
        mpi_fmt_num(lang, b, sizeof b, row->bound, 0);
        snprintf(buf, n, mpi_tr(lang, "%s, the objective, at the most the plan allows: %s people"),
                 what, b);
        return;
    }
    if (pct_measure(e))
        mpi_fmt_pct(lang, b, sizeof b, 100 * row->bound);
    else
        bound_amount(r, row, lang, 1, b, sizeof b);
    snprintf(buf, n, "%s %s %s", row->name, row->op, b);
}

/* The comparison in row's expression: after its last ")", so that no
 * item's text is taken for it. */
static const char *find_op(const char *expr, const char *op)
{
    const char *from = strrchr(expr, ')');
    return *op ? strstr(from ? from : expr, op) : NULL;
}

void mpi_row_reading(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                     size_t n)
{
    const char *at = find_op(row->expr, row->op);
    char rhs[128], b[64];
    size_t k = 0;
    for (const char *p = at ? at + strlen(row->op) : ""; *p && k + 1 < sizeof rhs; p++)
        if (*p != ',' || row->cons) /* an implicit row's amount: "450,000 EUR" */
            rhs[k++] = *p;
    rhs[k] = '\0';
    double v;
    const char *why;
    if (!at || mpi_parse_num(rhs, MPI_U_ALL, r->plan->currency, &v, &why) != 0) {
        snprintf(buf, n, "%s", row->expr); /* a sentence, not a comparison */
        return;
    }
    const mpi_expr *e = row->cons ? &row->cons->e : NULL;
    const char *unit = e && e->measure == MPI_M_KPI ? mpi_kpi_units[mpi_expr_bound_kpi(e)] : "";
    char people[96] = "";
    if (strchr(rhs, '%') || pct_measure(e))
        mpi_fmt_pct(lang, b, sizeof b, 100 * v); /* a share, or a reach as written: in % */
    else /* no unit where the measure names it: "conversions >= 600" */
        bound_amount(r, row, lang, !*unit || strncmp(row->expr, unit, strlen(unit)), b, sizeof b);
    if (strchr(rhs, '%') && e && !pct_measure(e) && mpi_expr_bound_kpi(e) == MPI_REACH) {
        char amount[64]; /* the value and bound columns count people: say so */
        bound_amount(r, row, lang, 1, amount, sizeof amount);
        snprintf(people, sizeof people, " (%s)", amount);
    }
    size_t len = (size_t)(at - row->expr);
    while (len && row->expr[len - 1] == ' ')
        len--;
    snprintf(buf, n, "%.*s %s %s%s", (int)len, row->expr, row->op, b, people);
}

/* The budget as the plan writes it, when the row's bound is the plan's
 * (not a --vary budget's): "budget = 450k" and its mode when exact. */
static int budget_as_written(const mpi_report *r, const mpi_report_row *row, char *buf, size_t n)
{
    const mp_plan *plan = r->plan;
    const char *v = mpi_plan_key_value(plan, "plan", NULL, "budget");
    if (!v || fabs(row->bound - plan->budget) > 1e-9 * fabs(plan->budget))
        return 0;
    snprintf(buf, n, plan->budget_exact ? "budget = %s (budget_mode = exact)" : "budget = %s", v);
    return 1;
}

/* Period t's cap as written: its [period t] budget, the plan's
 * period_budget, or both (the row holds the smaller). */
static int period_as_written(const mpi_report *r, int t, char *buf, size_t n)
{
    char name[16];
    snprintf(name, sizeof name, "%d", t + 1);
    const char *own = mpi_plan_key_value(r->plan, "period", name, "budget");
    const char *all = mpi_plan_key_value(r->plan, "plan", NULL, "period_budget");
    if (own && all)
        snprintf(buf, n, "period_budget = %s; [period %d] budget = %s", all, t + 1, own);
    else if (own)
        snprintf(buf, n, "[period %d] budget = %s", t + 1, own);
    else if (all)
        snprintf(buf, n, "period_budget = %s", all);
    return own || all;
}

void mpi_row_as_written(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                        size_t n)
{
    static const char *const spend_keys[] = {"min_spend", "max_spend", "fixed_spend"};
    int k = row->kind == MPI_ROW_MIN ? 0 : row->kind == MPI_ROW_MAX ? 1 : 2;
    const char *ch =
        row->ref >= 0 && (size_t)row->ref < r->plan->nch ? r->plan->ch[row->ref].name : NULL;
    const char *v = ch && row->kind >= MPI_ROW_MIN && row->kind <= MPI_ROW_FIXED
                        ? mpi_plan_key_value(r->plan, "channel", ch, spend_keys[k])
                        : NULL;
    if (row->cons)
        snprintf(buf, n, "%s", row->expr);
    else if (v)
        snprintf(buf, n, "[channel \"%s\"] %s = %s", ch, spend_keys[k], v);
    else if (!(row->kind == MPI_ROW_BUDGET && budget_as_written(r, row, buf, n)) &&
             !(row->kind == MPI_ROW_PERIOD && period_as_written(r, row->ref, buf, n)))
        mpi_row_reading(r, row, lang, buf, n);
}

/* A value of row's bound in its own unit, to about three significant
 * digits: "33.2 %", "512 kEUR", "2,510 EUR", "64.5 EUR", "620 conversions". */
static void fmt_bound_value(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *b,
                            size_t n, double v)
{
    const mpi_expr *e = row->cons ? &row->cons->e : NULL;
    const char *cur = r->plan->currency;
    char num[48];
    if (v != 0) { /* an end is placed to about 0.5 %: three digits say it */
        double p = pow(10, 3 - ceil(log10(fabs(v))));
        v = round(v * p) / p;
    }
    if (pct_measure(e)) { /* the range is in percentage points already */
        fmt_g(lang, num, sizeof num, 3, v);
        snprintf(b, n, "%s%s", num, mpi_pct_sign(lang));
        return;
    }
    int money = money_measure(e);
    if (money && fabs(v) >= 10000) {
        double k = v / 1000;
        mpi_fmt_num(lang, num, sizeof num, k, fabs(k) >= 100 ? 0 : 1);
        snprintf(b, n, "%s k%s", num, cur);
        return;
    }
    mpi_fmt_num(lang, num, sizeof num, v, fabs(v) >= 100 || v == 0 ? 0 : 1);
    snprintf(b, n, "%s %s", num, money ? cur : mpi_tr(lang, mpi_kpi_units[mpi_expr_bound_kpi(e)]));
}

void mpi_range_end_text(const mpi_report *r, const mpi_report_row *row, int k, mpi_lang lang,
                        char *buf, size_t n)
{
    char who[MPI_TEXT_MAX];
    if (row->range_lprow[k] >= 0)
        mpi_range_row_name(r->sol, row->range_lprow[k], lang, who, sizeof who);
    else
        snprintf(who, sizeof who, "%s", row->range_phrase[k]);
    switch (row->range_why[k]) {
    case MPI_END_UNBINDS: snprintf(buf, n, "%s", mpi_tr(lang, "it is no longer reached")); break;
    case MPI_END_BINDS: snprintf(buf, n, mpi_tr(lang, "%s is reached too"), who); break;
    case MPI_END_TAKES_OVER: snprintf(buf, n, mpi_tr(lang, "%s takes over"), who); break;
    case MPI_END_RELEASES: snprintf(buf, n, mpi_tr(lang, "%s is no longer reached"), who); break;
    case MPI_END_INFEASIBLE:
        snprintf(buf, n, "%s", mpi_tr(lang, "the plan becomes infeasible"));
        break;
    default: mpi_range_limit_text(r, row, k, lang, buf, n); /* a channel's own limit, or "" */
    }
}

/* ", where cpa takes over": what happens at end k of row's range, or "". */
static void where(const mpi_report *r, const mpi_report_row *row, int k, mpi_lang lang, char *b,
                  size_t n)
{
    char what[MPI_TEXT_MAX];
    mpi_range_end_text(r, row, k, lang, what, sizeof what);
    if (*what)
        snprintf(b, n, mpi_tr(lang, ", where %s"), what);
    else
        b[0] = '\0';
}

/* " (true from 386 kEUR, where offline-share starts binding too, up to 475
 * kEUR, where cpa takes over)": the range of the bound over which the same
 * rows bind, and what happens at its ends; "" without a range. */
static void range_words(const mpi_report *r, const mpi_report_row *row, mpi_lang l, char *buf,
                        size_t n)
{
    int lo_end = row->range_why[0] != MPI_END_LIMIT && !isnan(row->range[0]);
    int hi_end = !isnan(row->range[1]);
    char lo[96], hi[96], lo_why[MPI_TEXT_MAX], hi_why[MPI_TEXT_MAX];
    buf[0] = '\0';
    if (row->range_why[0] == MPI_END_NONE && row->range_too_large)
        snprintf(buf, n, " (%s)", mpi_tr(l, "range not computed for a plan this size"));
    if (row->range_why[0] == MPI_END_NONE)
        return;
    fmt_bound_value(r, row, l, lo, sizeof lo, row->range[0]);
    fmt_bound_value(r, row, l, hi, sizeof hi, row->range[1]);
    where(r, row, 0, l, lo_why, sizeof lo_why);
    where(r, row, 1, l, hi_why, sizeof hi_why);
    if (lo_end && hi_end)
        snprintf(buf, n, mpi_tr(l, " (true from %s%s, up to %s%s)"), lo, lo_why, hi, hi_why);
    else if (hi_end)
        snprintf(buf, n, mpi_tr(l, " (true up to %s%s)"), hi, hi_why);
    else if (lo_end)
        snprintf(buf, n, mpi_tr(l, " (true from %s%s, and above)"), lo, lo_why);
    else
        snprintf(buf, n, "%s", mpi_tr(l, " (true whatever the bound)"));
}

/* "1 kEUR more brings 8.69 conversions": a max plan's objective is a gain,
 * a min plan's a cost (more of it costs, less saves). */
static void worth(const mpi_report *r, const mpi_report_row *row, mpi_lang l, char *buf, size_t n)
{
    char per[48], step[48], v[48];
    const char *unit = mpi_tr(l, r->obj.unit);
    mpi_row_unit_words(r, row, l, per, sizeof per, step, sizeof step);
    fmt_price(l, v, sizeof v, fabs(row->shadow));
    if (r->plan->obj_sense > 0 ? row->shadow > 0 : row->shadow < 0)
        snprintf(buf, n,
                 r->plan->obj_sense > 0 ? mpi_tr(l, "%s brings %s %s")
                                        : mpi_tr(l, "%s saves %s %s"),
                 step, v, unit);
    else
        snprintf(buf, n, mpi_tr(l, "%s costs %s %s"), step, v, unit);
}

void mpi_binding_words(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *bound,
                       size_t nb, char *rest, size_t nr)
{
    char w[MPI_TEXT_MAX], range[MPI_TEXT_MAX];
    row_bound(r, row, lang, bound, nb);
    rest[0] = '\0';
    if (row->cons && mpi_hold_binds_all(r->sol, (size_t)row->ref)) {
        mpi_hold_binding_text(r->sol, (size_t)row->ref, row->value, lang, rest, nr);
        return;
    }
    if (isnan(row->shadow) && r->sol && r->sol->booked && row->binding == 2) {
        snprintf(rest, nr, " — %s",
                 strcmp(row->op, ">=") == 0
                     ? mpi_tr(lang, "holds the plan: one spot or insertion fewer would break it")
                     : mpi_tr(lang, "holds the plan: one spot or insertion more would break it"));
        return;
    }
    if (isnan(row->shadow) && r->sol && r->sol->booked) {
        snprintf(rest, nr, " — %s",
                 mpi_plan_books_channels(r->plan)
                     ? mpi_tr(lang, "at its bound (a booked plan has no price for one "
                                    "unit more)")
                     : mpi_tr(lang, "at its bound (a plan held to effective reach over several "
                                    "channels has no price for one unit more)"));
        return;
    }
    if (isnan(row->shadow))
        return;
    /* moving it by the whole budget changes nothing on the exact curves */
    if (fabs(row->price) * r->plan->budget <= 1e-4 * fabs(r->objective)) {
        snprintf(rest, nr, " — %s", mpi_tr(lang, "at no cost"));
        return;
    }
    worth(r, row, lang, w, sizeof w);
    range_words(r, row, lang, range, sizeof range);
    snprintf(rest, nr, " — %s%s", w, range);
}

void mpi_binding_line(const mpi_report *r, const mpi_report_row *row, mpi_lang lang, char *buf,
                      size_t n)
{
    char bound[MPI_TEXT_MAX / 4], rest[MPI_TEXT_MAX];
    mpi_binding_words(r, row, lang, bound, sizeof bound, rest, sizeof rest);
    snprintf(buf, n, mpi_tr(lang, "limit reached: %s%s"), bound, rest);
}
