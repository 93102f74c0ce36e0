/* compute kernels: CRC-32, 16x16 int32 matmul, quicksort, record parser. */
#include "kernels.h"

static uint32_t crc_table[256];

void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        crc_table[i] = c;
    }
}

uint32_t crc32(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    while (len--) {
        crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    }
    return ~crc;
}

void matmul_ijk(const int32_t a[MAT_N][MAT_N], const int32_t b[MAT_N][MAT_N],
                int32_t c[MAT_N][MAT_N])
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MAT_N; k++) {
                acc += a[i][k] * b[k][j];
            }
            c[i][j] = acc;
        }
    }
}

void matmul_ikj(const int32_t a[MAT_N][MAT_N], const int32_t b[MAT_N][MAT_N],
                int32_t c[MAT_N][MAT_N])
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            c[i][j] = 0;
        }
        for (int k = 0; k < MAT_N; k++) {
            int32_t aik = a[i][k];
            for (int j = 0; j < MAT_N; j++) {
                c[i][j] += aik * b[k][j];
            }
        }
    }
}

static void insertion_sort(uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

void sort_u32(uint32_t *v, size_t n)
{
    /* Recurse into the smaller part, loop on the larger: stack depth O(log n). */
    while (n > 16) {
        uint32_t pivot = v[n / 2];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot) {
                i++;
            }
            while (v[j] > pivot) {
                j--;
            }
            if (i >= j) {
                break;
            }
            uint32_t t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        size_t left = j + 1; /* v[0..j] <= pivot <= v[j+1..n-1] */
        if (left < n - left) {
            sort_u32(v, left);
            v += left;
            n -= left;
        } else {
            sort_u32(v + left, n - left);
            n = left;
        }
    }
    insertion_sort(v, n);
}

static char *put_uint(char *out, uint32_t x)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + x % 10u);
        x /= 10u;
    } while (x);
    while (n) {
        *out++ = digits[--n];
    }
    return out;
}

size_t records_format(char *out, const int32_t *values, size_t n)
{
    char *p = out;
    for (size_t i = 0; i < n; i++) {
        *p++ = 'k';
        p = put_uint(p, (uint32_t)i);
        *p++ = '=';
        if (values[i] < 0) {
            *p++ = '-';
            p = put_uint(p, 0u - (uint32_t)values[i]);
        } else {
            p = put_uint(p, (uint32_t)values[i]);
        }
        *p++ = ';';
    }
    *p = '\0';
    return (size_t)(p - out);
}

enum parse_state { ST_KEY_START, ST_KEY, ST_VALUE_START, ST_VALUE_SIGN, ST_VALUE };

int records_parse(const char *text, int64_t *sum, uint32_t *key_hash)
{
    enum parse_state state = ST_KEY_START;
    int records = 0;
    int negative = 0;
    int32_t value = 0;
    uint32_t hash = 2166136261u;
    int64_t total = 0;

    for (const char *p = text;; p++) {
        char ch = *p;
        switch (state) {
        case ST_KEY_START:
            if (ch == '\0') {
                *sum = total;
                *key_hash = hash;
                return records;
            }
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
                return -1;
            }
            hash = (hash ^ (uint8_t)ch) * 16777619u;
            state = ST_KEY;
            break;
        case ST_KEY:
            if (ch == '=') {
                state = ST_VALUE_START;
            } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') {
                hash = (hash ^ (uint8_t)ch) * 16777619u;
            } else {
                return -1;
            }
            break;
        case ST_VALUE_START:
            negative = 0;
            value = 0;
            if (ch == '-') {
                negative = 1;
                state = ST_VALUE_SIGN;
            } else if (ch >= '0' && ch <= '9') {
                value = ch - '0';
                state = ST_VALUE;
            } else {
                return -1;
            }
            break;
        case ST_VALUE_SIGN:
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = ch - '0';
            state = ST_VALUE;
            break;
        case ST_VALUE:
            if (ch >= '0' && ch <= '9') {
                value = value * 10 + (ch - '0');
            } else if (ch == ';') {
                total += negative ? -(int64_t)value : value;
                hash = (hash ^ 0x3Bu) * 16777619u;
                records++;
                state = ST_KEY_START;
            } else {
                return -1;
            }
            break;
        }
    }
}

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t mix(uint32_t h, uint32_t x)
{
    h ^= x;
    h *= 16777619u;
    return h ^ (h >> 15);
}

static uint8_t crc_buf[CRC_BYTES];
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N];
static int32_t mat_c1[MAT_N][MAT_N], mat_c2[MAT_N][MAT_N];
static uint32_t sort_buf[SORT_COUNT];
static int32_t record_values[RECORDS];
static char record_text[RECORD_TEXT];

uint32_t compute_run(uint32_t iterations, uint32_t *errors)
{
    static const char check[] = "123456789";
    crc32_init();
    if (crc32(check, 9) != 0xCBF43926u) {
        *errors |= COMPUTE_ERR_CRC;
    }

    uint32_t checksum = 0x811C9DC5u;
    for (uint32_t it = 0; it < iterations; it++) {
        uint32_t rng = 0x12345678u ^ (it * 0x9E3779B9u);
        if (rng == 0) {
            rng = 1;
        }

        /* CRC-32 over a pseudo-random buffer. */
        for (size_t i = 0; i < CRC_BYTES; i += 4) {
            uint32_t r = xorshift32(&rng);
            crc_buf[i] = (uint8_t)r;
            crc_buf[i + 1] = (uint8_t)(r >> 8);
            crc_buf[i + 2] = (uint8_t)(r >> 16);
            crc_buf[i + 3] = (uint8_t)(r >> 24);
        }
        checksum = mix(checksum, crc32(crc_buf, CRC_BYTES));

        /* 16x16 int32 matrix product, checked against the other loop order. */
        for (int i = 0; i < MAT_N; i++) {
            for (int j = 0; j < MAT_N; j++) {
                uint32_t r = xorshift32(&rng);
                mat_a[i][j] = (int8_t)r;
                mat_b[i][j] = (int8_t)(r >> 8);
            }
        }
        matmul_ijk((const int32_t(*)[MAT_N])mat_a, (const int32_t(*)[MAT_N])mat_b, mat_c1);
        matmul_ikj((const int32_t(*)[MAT_N])mat_a, (const int32_t(*)[MAT_N])mat_b, mat_c2);
        uint32_t mat_sum = 0;
        for (int i = 0; i < MAT_N; i++) {
            for (int j = 0; j < MAT_N; j++) {
                if (mat_c1[i][j] != mat_c2[i][j]) {
                    *errors |= COMPUTE_ERR_MATMUL;
                }
                mat_sum = mat_sum * 31u + (uint32_t)mat_c1[i][j];
            }
        }
        checksum = mix(checksum, mat_sum);

        /* Sort pseudo-random values (a few duplicates on purpose). */
        for (size_t i = 0; i < SORT_COUNT; i++) {
            uint32_t r = xorshift32(&rng);
            sort_buf[i] = (i % 17u == 0) ? sort_buf[i / 2] : r;
        }
        sort_u32(sort_buf, SORT_COUNT);
        uint32_t sort_sum = 0;
        for (size_t i = 0; i < SORT_COUNT; i++) {
            if (i > 0 && sort_buf[i - 1] > sort_buf[i]) {
                *errors |= COMPUTE_ERR_SORT;
            }
            sort_sum = sort_sum * 33u + sort_buf[i];
        }
        checksum = mix(checksum, sort_sum);

        /* Format records, parse them back with the state machine, compare. */
        int64_t expected_sum = 0;
        for (size_t i = 0; i < RECORDS; i++) {
            int32_t v = (int32_t)(xorshift32(&rng) % 200001u) - 100000;
            record_values[i] = v;
            expected_sum += v;
        }
        records_format(record_text, record_values, RECORDS);
        int64_t parsed_sum = 0;
        uint32_t key_hash = 0;
        int parsed = records_parse(record_text, &parsed_sum, &key_hash);
        if (parsed != RECORDS || parsed_sum != expected_sum) {
            *errors |= COMPUTE_ERR_PARSE;
        }
        checksum = mix(checksum, key_hash ^ (uint32_t)parsed_sum);
    }
    return checksum;
}
