/*
 * png_shim_diagnostics.h — private to the PNG shim's C files: where libpng's callbacks leave
 * what went wrong, and the callbacks themselves (see png_shim.c for the pattern).
 */
#ifndef PNG_SHIM_DIAGNOSTICS_H
#define PNG_SHIM_DIAGNOSTICS_H

#include "png_shim.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* The largest width or height the PNG specification allows. */
#define PNGSHIM_MAX_DIMENSION 0x7fffffffu

/* ------------------------------------------------------------ diagnostics */

/* Where libpng's callbacks leave what went wrong. The png struct's error_ptr. */
typedef struct {
    int code; /* PNGSHIM_OK until the first error */
    char message[PNGSHIM_MESSAGE_CAPACITY];
    char warnings[PNGSHIM_MESSAGE_CAPACITY];
} pngshim_diagnostics;

static inline void copy_text(char *destination, size_t capacity, const char *text) {
    if (destination == NULL || capacity == 0) return;
    if (text == NULL) text = "";
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, text, length);
    destination[length] = '\0';
}

/* Records the first error only: the root cause, not its consequences. */
static inline void record(pngshim_diagnostics *diagnostics, int code, const char *message) {
    if (diagnostics->code != PNGSHIM_OK) return;
    diagnostics->code = code;
    copy_text(diagnostics->message, sizeof diagnostics->message, message);
}

/* Copies the error and any collected warnings to the caller; returns the code. */
static inline int report(const pngshim_diagnostics *diagnostics, char *message, size_t capacity) {
    if (message != NULL && capacity > 0) {
        if (diagnostics->warnings[0] != '\0') {
            snprintf(message, capacity, "%s (warnings: %s)", diagnostics->message, diagnostics->warnings);
        } else {
            copy_text(message, capacity, diagnostics->message);
        }
    }
    return diagnostics->code;
}

static inline int fail(char *message, size_t capacity, int code, const char *text) {
    copy_text(message, capacity, text);
    return code;
}

/* libpng's error callback: must not return. */
static inline void on_error(png_structp png, png_const_charp text) {
    pngshim_diagnostics *diagnostics = (pngshim_diagnostics *)png_get_error_ptr(png);
    if (diagnostics != NULL) record(diagnostics, PNGSHIM_ERR_LIBPNG, text);
    png_longjmp(png, 1);
}

/* libpng's warning callback: appends to the handle's warnings, never prints. */
static inline void on_warning(png_structp png, png_const_charp text) {
    pngshim_diagnostics *diagnostics = (pngshim_diagnostics *)png_get_error_ptr(png);
    if (diagnostics == NULL || text == NULL) return;
    size_t used = strlen(diagnostics->warnings);
    size_t room = sizeof diagnostics->warnings - used;
    if (room <= 1) return;
    snprintf(diagnostics->warnings + used, room, "%s%s", used > 0 ? "; " : "", text);
}

#endif
