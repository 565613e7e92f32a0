/*
 * What a VMS integrator writes in C: load the site policy once, create a
 * masker per stream, mask each decoded frame in place at its wall-clock
 * instant, log the decision.
 *
 *   mask_frames [SITE] [OUTDIR]     mask a synthetic yuv420p and an nv12
 *                                   frame of camera kasse-1 at a Tuesday
 *                                   noon, write OUTDIR/yuv420p.pgm and
 *                                   OUTDIR/nv12.ppm, print the decision
 *   mask_frames --bench [SITE] [N]  time sladd_masker_apply on N 1920x1080
 *                                   yuv420p frames, print the medians
 *
 * Build: make -C examples/c   (or: cc mask_frames.c $(pkg-config --cflags --libs sladd))
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sladd.h"

/* 2026-11-24T12:00:00+01:00, a Tuesday noon, in Unix nanoseconds. */
#define NOON_NS 1795518000000000000LL
/* 25 frames per second. */
#define FRAME_NS 40000000LL

static int fail(const char *what, SladdStatus status) {
    const char *message = sladd_last_error_message();
    fprintf(stderr, "mask_frames: %s failed (status %d): %s\n", what, (int)status,
            message ? message : "(no message)");
    return 1;
}

#define CHECK(call)                                                            \
    do {                                                                       \
        SladdStatus status_ = (call);                                          \
        if (status_ != SLADD_STATUS_OK) return fail(#call, status_);           \
    } while (0)

static uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* A synthetic yuv420p frame with padded rows: a luma ramp, chroma ramps. */
static void fill_yuv420p(uint8_t *y, size_t ys, uint8_t *u, uint8_t *v, size_t cs,
                         uint32_t w, uint32_t h) {
    for (uint32_t r = 0; r < h; r++)
        for (uint32_t c = 0; c < w; c++) y[r * ys + c] = (uint8_t)(32 + (c + 2 * r) % 192);
    for (uint32_t r = 0; r < (h + 1) / 2; r++)
        for (uint32_t c = 0; c < (w + 1) / 2; c++) {
            u[r * cs + c] = (uint8_t)(64 + (c + r) % 128);
            v[r * cs + c] = (uint8_t)(192 - c % 64);
        }
}

/* Writes a yuv420p frame as one PGM: Y, then U and V side by side below. */
static int write_pgm_yuv(const char *path, const uint8_t *y, size_t ys, const uint8_t *u,
                         const uint8_t *v, size_t cs, uint32_t w, uint32_t h) {
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    uint32_t cw = w / 2, ch = h / 2;
    fprintf(f, "P5\n%u %u\n255\n", w, h + ch);
    for (uint32_t r = 0; r < h; r++) fwrite(y + r * ys, 1, w, f);
    for (uint32_t r = 0; r < ch; r++) {
        fwrite(u + r * cs, 1, cw, f);
        fwrite(v + r * cs, 1, cw, f);
    }
    return fclose(f) != 0;
}

/* Writes an nv12 frame as a PPM, BT.601 limited range to RGB. */
static int write_ppm_nv12(const char *path, const uint8_t *y, size_t ys, const uint8_t *uv,
                          size_t uvs, uint32_t w, uint32_t h) {
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    fprintf(f, "P6\n%u %u\n255\n", w, h);
    for (uint32_t r = 0; r < h; r++)
        for (uint32_t c = 0; c < w; c++) {
            int Y = y[r * ys + c] - 16;
            int U = uv[(r / 2) * uvs + (c / 2) * 2] - 128;
            int V = uv[(r / 2) * uvs + (c / 2) * 2 + 1] - 128;
            uint8_t rgb[3] = {
                clamp8((298 * Y + 409 * V + 128) >> 8),
                clamp8((298 * Y - 100 * U - 208 * V + 128) >> 8),
                clamp8((298 * Y + 516 * U + 128) >> 8),
            };
            fwrite(rgb, 1, 3, f);
        }
    return fclose(f) != 0;
}

static size_t count_value(const uint8_t *p, size_t stride, uint32_t w, uint32_t h, uint8_t v) {
    size_t n = 0;
    for (uint32_t r = 0; r < h; r++)
        for (uint32_t c = 0; c < w; c++) n += p[r * stride + c] == v;
    return n;
}

static int demo(const char *site, const char *outdir) {
    SladdPolicy *policy = NULL;
    CHECK(sladd_policy_load_file(site, &policy));
    size_t cameras = 0;
    CHECK(sladd_policy_camera_count(policy, &cameras));
    printf("sladd %s, site %s: %zu camera(s):", sladd_version(), site, cameras);
    for (size_t i = 0; i < cameras; i++) {
        const char *id = NULL;
        CHECK(sladd_policy_camera_id(policy, i, &id));
        printf(" %s", id);
    }
    printf("\n");

    const uint32_t w = 320, h = 180;
    char path[4096];

    /* yuv420p, rows padded to a multiple of 64 bytes as decoders do. */
    SladdMasker *masker = NULL;
    CHECK(sladd_masker_new(policy, "kasse-1", w, h, SLADD_PIXEL_FORMAT_YUV420P, &masker));
    size_t ys = 384, cs = 192;
    size_t ylen = ys * h, clen = cs * (h / 2);
    uint8_t *y = malloc(ylen), *u = malloc(clen), *v = malloc(clen);
    if (!y || !u || !v) return 1;
    fill_yuv420p(y, ys, u, v, cs, w, h);
    uint8_t *planes[3] = {y, u, v};
    size_t strides[3] = {ys, cs, cs};
    size_t lengths[3] = {ylen, clen, clen};
    for (int64_t i = 0; i < 3; i++)
        CHECK(sladd_masker_apply(masker, NOON_NS + i * FRAME_NS, planes, strides, lengths, 3));
    printf("yuv420p %ux%u: %zu of %u luma pixels filled\n", w, h,
           count_value(y, ys, w, h, 16), w * h);
    snprintf(path, sizeof path, "%s/yuv420p.pgm", outdir);
    if (write_pgm_yuv(path, y, ys, u, v, cs, w, h)) return fail("writing yuv420p.pgm", 0);

    char *json = NULL;
    CHECK(sladd_masker_decision_json(masker, NOON_NS, &json));
    printf("decision: %s\n", json);
    sladd_string_free(json);
    sladd_masker_free(masker);
    free(y);
    free(u);
    free(v);

    /* nv12, both planes with the same padded stride, in one allocation. */
    CHECK(sladd_masker_new(policy, "kasse-1", w, h, SLADD_PIXEL_FORMAT_NV12, &masker));
    sladd_policy_free(policy); /* the masker keeps its own copy of the camera */
    size_t s = 384;
    uint8_t *buffer = malloc(s * h + s * (h / 2));
    if (!buffer) return 1;
    uint8_t *luma = buffer, *uv = buffer + s * h;
    for (uint32_t r = 0; r < h; r++)
        for (uint32_t c = 0; c < w; c++) luma[r * s + c] = (uint8_t)(32 + (c + 2 * r) % 192);
    for (uint32_t r = 0; r < h / 2; r++)
        for (uint32_t c = 0; c < w / 2; c++) {
            uv[r * s + 2 * c] = 90;
            uv[r * s + 2 * c + 1] = 170;
        }
    uint8_t *nv_planes[2] = {luma, uv};
    size_t nv_strides[2] = {s, s};
    size_t nv_lengths[2] = {s * h, s * (h / 2)};
    CHECK(sladd_masker_apply(masker, NOON_NS, nv_planes, nv_strides, nv_lengths, 2));
    printf("nv12 %ux%u: %zu of %u luma pixels filled\n", w, h, count_value(luma, s, w, h, 16),
           w * h);
    snprintf(path, sizeof path, "%s/nv12.ppm", outdir);
    if (write_ppm_nv12(path, luma, s, uv, s, w, h)) return fail("writing nv12.ppm", 0);

    /* Fail closed: a buffer too short is an error, and the frame is not shown. */
    nv_lengths[1] = s * (h / 2 - 1);
    SladdStatus status = sladd_masker_apply(masker, NOON_NS, nv_planes, nv_strides, nv_lengths, 2);
    printf("short buffer: status %d: %s\n", (int)status, sladd_last_error_message());

    char *unknown = NULL;
    CHECK(sladd_masker_decision_json(masker, SLADD_INSTANT_UNKNOWN, &unknown));
    printf("unknown instant: %s\n", unknown);
    sladd_string_free(unknown);
    sladd_masker_free(masker);
    free(buffer);
    return 0;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t now_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int bench(const char *site, int frames) {
    const uint32_t w = 1920, h = 1080;
    SladdPolicy *policy = NULL;
    CHECK(sladd_policy_load_file(site, &policy));
    SladdMasker *masker = NULL;
    CHECK(sladd_masker_new(policy, "kasse-1", w, h, SLADD_PIXEL_FORMAT_YUV420P, &masker));
    sladd_policy_free(policy);
    size_t ylen = (size_t)w * h, clen = ylen / 4;
    uint8_t *y = malloc(ylen), *u = malloc(clen), *v = malloc(clen);
    uint64_t *wall = malloc(sizeof(uint64_t) * (size_t)frames);
    uint64_t *cpu = malloc(sizeof(uint64_t) * (size_t)frames);
    if (!y || !u || !v || !wall || !cpu) return 1;
    fill_yuv420p(y, w, u, v, w / 2, w, h);
    uint8_t *planes[3] = {y, u, v};
    size_t strides[3] = {w, w / 2, w / 2};
    size_t lengths[3] = {ylen, clen, clen};
    for (int i = 0; i < 20; i++) /* warm-up: masks rasterized, caches hot */
        CHECK(sladd_masker_apply(masker, NOON_NS, planes, strides, lengths, 3));
    for (int i = 0; i < frames; i++) {
        int64_t at = NOON_NS + (int64_t)i * FRAME_NS;
        uint64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
        SladdStatus status = sladd_masker_apply(masker, at, planes, strides, lengths, 3);
        uint64_t c1 = now_ns(CLOCK_THREAD_CPUTIME_ID), t1 = now_ns(CLOCK_MONOTONIC);
        if (status != SLADD_STATUS_OK) return fail("sladd_masker_apply", status);
        wall[i] = t1 - t0;
        cpu[i] = c1 - c0;
    }
    qsort(wall, (size_t)frames, sizeof *wall, compare_u64);
    qsort(cpu, (size_t)frames, sizeof *cpu, compare_u64);
    printf("sladd_masker_apply 1920x1080 yuv420p, 1 thread, %d frames: "
           "median %.1f us wall, %.1f us thread cpu (min %.1f us wall)\n",
           frames, wall[frames / 2] / 1e3, cpu[frames / 2] / 1e3, wall[0] / 1e3);
    sladd_masker_free(masker);
    free(y);
    free(u);
    free(v);
    free(wall);
    free(cpu);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
        const char *site = argc > 2 ? argv[2] : "fixtures/site.toml";
        int frames = argc > 3 ? atoi(argv[3]) : 1000;
        if (frames < 1) frames = 1;
        return bench(site, frames);
    }
    const char *site = argc > 1 ? argv[1] : "fixtures/site.toml";
    const char *outdir = argc > 2 ? argv[2] : ".";
    return demo(site, outdir);
}
