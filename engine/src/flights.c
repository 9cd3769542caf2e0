/* How a channel is bought: flights (min_grp, flight, max_active_periods,
 * min_burst on tv and radio; min_spend_active on any channel), whole spots
 * (spot_cost, grp_per_spot on tv and radio) and whole press insertions
 * (continuous = yes relaxes them). Here: the keys as read and checked; the
 * LP's integer columns and rows they make are built in build.c. */
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const airtime_keys[] = {
    "min_grp", "flight", "max_active_periods", "min_burst", "spot_cost", "grp_per_spot", NULL};

static int key_listed(const char *k, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(k, keys[i]))
            return 1;
    return 0;
}

const char *const *mpi_booking_keys(const mpi_channel *ch)
{
    static const char *const press_keys[] = {"continuous", NULL};
    return mpi_channel_airtime(ch) ? airtime_keys : mpi_channel_press(ch) ? press_keys : NULL;
}

int mpi_booking_key(const char *k)
{
    return key_listed(k, airtime_keys) || !strcmp(k, "min_spend_active") ||
           !strcmp(k, "continuous");
}

/* Whether the channel buys airtime (tv, radio) or press insertions. */
int mpi_channel_airtime(const mpi_channel *ch)
{
    return !strcmp(ch->ops->media, "tv") || !strcmp(ch->ops->media, "radio");
}

int mpi_channel_press(const mpi_channel *ch)
{
    return !strcmp(ch->ops->media, "press");
}

/* A whole number of periods from 1 to the most a plan can have. */
static mp_status get_periods(const char *v, const mpi_loc *loc, int *out)
{
    double f;
    mp_status st = mpi_get_pos(v, 0, NULL, loc, &f);
    if (st != MP_OK)
        return st;
    if (f != floor(f) || f > 100000)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected a whole number of periods, got \"%s\""),
                           v);
    *out = (int)f;
    return MP_OK;
}

static mp_status get_yes_no(const char *v, const mpi_loc *loc, int *out)
{
    if (mpi_strieq(v, "yes") || mpi_strieq(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (mpi_strieq(v, "no") || mpi_strieq(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected yes or no, got \"%s\""), v);
    return MP_OK;
}

/* The keys tv and radio alone take. */
static mp_status set_airtime(mp_plan *plan, mpi_booking *b, const mpi_loc *loc, const char *v)
{
    const char *k = loc->key;
    if (!strcmp(k, "min_grp")) {
        b->min_grp_line = loc->line;
        return mpi_get_pos(v, 0, NULL, loc, &b->min_grp);
    }
    if (!strcmp(k, "flight")) {
        b->flight_line = loc->line;
        free(b->flight);
        return (b->flight = mpi_strdup(v)) ? MP_OK : mpi_nomem();
    }
    if (!strcmp(k, "max_active_periods")) {
        b->max_active_line = loc->line;
        return get_periods(v, loc, &b->max_active);
    }
    if (!strcmp(k, "min_burst")) {
        b->min_burst_line = loc->line;
        return get_periods(v, loc, &b->min_burst);
    }
    if (!strcmp(k, "spot_cost")) {
        b->spot_cost_line = loc->line;
        return mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, plan->currency, loc, &b->spot_cost);
    }
    b->grp_per_spot_line = loc->line; /* grp_per_spot */
    return mpi_get_pos(v, 0, NULL, loc, &b->grp_per_spot);
}

mp_status mpi_booking_set(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc, const char *v)
{
    mpi_booking *b = &ch->book;
    const char *k = loc->key;
    if (!strcmp(k, "min_spend_active")) {
        b->min_spend_active_line = loc->line;
        return mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, plan->currency, loc, &b->min_spend_active);
    }
    if (!strcmp(k, "continuous")) {
        if (!mpi_channel_press(ch))
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("continuous is a key of press channels (whole insertions); "
                                  "channel \"%s\" is %s"),
                               ch->name, mpi_tr(mpi_msg_lang(), ch->ops->kind));
        b->continuous_line = loc->line;
        return get_yes_no(v, loc, &b->continuous);
    }
    if (!mpi_channel_airtime(ch))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("%s is a key of TV and radio channels; channel \"%s\" is %s "
                              "(min_spend_active switches any channel on and off by period)"),
                           k, ch->name, mpi_tr(mpi_msg_lang(), ch->ops->kind));
    return set_airtime(plan, b, loc, v);
}

/* One item of a flight: "3" or "1-4", periods counted from 1. */
static mp_status flight_item(const mp_plan *plan, const mpi_loc *loc, const char *text,
                             const char *item, unsigned char *on)
{
    char *end;
    long a = strtol(item, &end, 10), b = a;
    if (end == item)
        goto bad;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end == '-') {
        const char *s = end + 1;
        b = strtol(s, &end, 10);
        if (end == s)
            goto bad;
        while (*end == ' ' || *end == '\t')
            end++;
    }
    if (*end != '\0')
        goto bad;
    if (a < 1 || b > plan->periods || a > b)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("flight \"%s\": %ld-%ld is not a range of the plan's periods 1-%d"),
                           text, a, b, plan->periods);
    for (long t = a; t <= b; t++)
        on[t - 1] = 1;
    return MP_OK;
bad:
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("flight \"%s\": expected periods and ranges of periods separated by "
                          "commas (flight = 1-4, 9-13)"),
                       text);
}

/* The flight's text as the periods the channel may air in. */
static mp_status read_flight(const mp_plan *plan, mpi_booking *b, const mpi_loc *loc)
{
    b->on = mpi_calloc((size_t)plan->periods + 1, 1);
    char *copy = mpi_strdup(b->flight);
    if (!b->on || !copy) {
        free(copy);
        return mpi_nomem();
    }
    mp_status st = MP_OK;
    char *save = NULL;
    int items = 0;
    for (char *it = strtok_r(copy, ",", &save); it && st == MP_OK;
         it = strtok_r(NULL, ",", &save)) {
        while (*it == ' ' || *it == '\t')
            it++;
        size_t n = strlen(it);
        while (n && (it[n - 1] == ' ' || it[n - 1] == '\t'))
            it[--n] = '\0';
        st = flight_item(plan, loc, b->flight, it, b->on);
        items++;
    }
    free(copy);
    if (st == MP_OK && items == 0)
        st = flight_item(plan, loc, b->flight, "", b->on);
    return st;
}

/* The longest run of consecutive periods the flight lets ch air in. */
static int longest_window(const mp_plan *plan, const mpi_booking *b)
{
    int best = 0, run = 0;
    for (int t = 0; t < plan->periods; t++) {
        run = b->on[t] ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

/* A run of min_burst airing periods must fit inside one of the flight's
 * windows, else the channel could never air. */
static mp_status check_burst_fits(const mp_plan *plan, const mpi_channel *ch)
{
    const mpi_booking *b = &ch->book;
    if (b->min_burst <= 1 || !b->on)
        return MP_OK;
    int longest = longest_window(plan, b);
    if (longest >= b->min_burst)
        return MP_OK;
    mpi_loc loc = {plan->path, b->min_burst_line, "min_burst"};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("channel \"%s\": min_burst %d needs that many consecutive periods "
                          "inside its flight (line %d), whose longest window is %d: the channel "
                          "could never air; shorten min_burst or widen the flight"),
                       ch->name, b->min_burst, b->flight_line, longest);
}

mp_status mpi_booking_check_spots(const mp_plan *plan, const mpi_channel *ch)
{
    const mpi_booking *b = &ch->book;
    if ((b->spot_cost > 0) == (b->grp_per_spot > 0))
        return MP_OK;
    int line = b->spot_cost > 0 ? b->spot_cost_line : b->grp_per_spot_line;
    mpi_loc loc = {plan->path, line, b->spot_cost > 0 ? "spot_cost" : "grp_per_spot"};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("channel \"%s\": spot_cost and grp_per_spot go together (a spot's "
                          "price and the GRP it brings): add %s"),
                       ch->name, b->spot_cost > 0 ? "grp_per_spot" : "spot_cost");
}

/* A channel's booking keys agree with each other and with the plan (its
 * spot keys are checked before its model's: mpi_booking_check_spots). */
static mp_status check_booking(const mp_plan *plan, mpi_channel *ch)
{
    mpi_booking *b = &ch->book;
    if (b->max_active > 0 && b->min_burst > b->max_active) {
        mpi_loc loc = {plan->path, b->min_burst_line, "min_burst"};
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": min_burst %d is above max_active_periods %d (line "
                              "%d): the channel could never air"),
                           ch->name, b->min_burst, b->max_active, b->max_active_line);
    }
    if (b->min_burst > plan->periods) {
        mpi_loc loc = {plan->path, b->min_burst_line, "min_burst"};
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": min_burst %d is longer than the plan's %d periods"),
                           ch->name, b->min_burst, plan->periods);
    }
    if (!b->flight)
        return MP_OK;
    mpi_loc loc = {plan->path, b->flight_line, "flight"};
    mp_status st = read_flight(plan, b, &loc);
    return st == MP_OK ? check_burst_fits(plan, ch) : st;
}

mp_status mpi_flights_load(mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++) {
        mp_status st = check_booking(plan, &plan->ch[c]);
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

int mpi_channel_booked(const mpi_channel *ch)
{
    const mpi_booking *b = &ch->book;
    return b->min_grp > 0 || b->min_spend_active > 0 || b->flight || b->max_active > 0 ||
           b->min_burst > 1 || b->spot_cost > 0 || (mpi_channel_press(ch) && !b->continuous);
}

void mpi_booking_free(mpi_booking *b)
{
    free(b->flight);
    free(b->on);
    b->flight = NULL;
    b->on = NULL;
}
