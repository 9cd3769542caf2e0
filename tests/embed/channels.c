/* A program that embeds libmixplan, compiled against the installed tree
 * (mixplan.h and libmixplan.so found through pkg-config): loads a plan,
 * solves it and prints each channel's name and spend, tab-separated, in the
 * plan's order. tests/embed/test_installed.py compares them with the CLI's
 * JSON. */
#include <mixplan.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: channels PLAN.ini\n");
        return 2;
    }
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    if (mp_plan_load(argv[1], &plan) != MP_OK || mp_plan_solve(plan, NULL, &sol) != MP_OK) {
        fprintf(stderr, "channels: %s\n", mp_last_error());
        mp_plan_free(plan);
        return 1;
    }
    int ok = mp_solution_result(sol) == MP_RESULT_OPTIMAL;
    for (size_t c = 0; ok && c < mp_solution_channel_count(sol); c++)
        printf("%s\t%.17g\n", mp_solution_channel_name(sol, c), mp_solution_channel_spend(sol, c));
    if (!ok)
        fprintf(stderr, "channels: the plan is %s\n", mp_result_name(mp_solution_result(sol)));
    mp_solution_free(sol);
    mp_plan_free(plan);
    return ok ? 0 : 1;
}
