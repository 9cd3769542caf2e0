/* A deterministic pseudo-random stream (Marsaglia's xorshift64, shifts 13,
 * 7, 17) shared by the unit tests and the benchmark, so that the plans they
 * generate from the same seed are the same. */
#ifndef MP_TEST_XORSHIFT_H
#define MP_TEST_XORSHIFT_H

/* The next number of the stream in state, uniform in [0, 1) on 53 bits. */
static inline double xorshift_uniform(unsigned long long *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (double)(*state >> 11) / 9007199254740992.0;
}

#endif
