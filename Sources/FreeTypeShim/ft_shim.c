/*
 * ft_shim.c — the only code that calls FreeType.
 *
 * Every entry point checks its arguments, calls FreeType, and turns a nonzero FT_Error into an
 * FTSHIM_ERR_* code with FreeType's own error text (from its error table, compiled in below:
 * Debian's FreeType is built without FT_Error_String's strings). Nothing is printed.
 */
#define _POSIX_C_SOURCE 200809L

#include "ft_shim.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FreeType's error table: the documented way to get its messages (fterrors.h, "error strings"). */
#undef FTERRORS_H_
#define FT_ERRORDEF(e, v, s) {e, s},
#define FT_ERROR_START_LIST {
#define FT_ERROR_END_LIST {0, NULL}};
static const struct {
    int code;
    const char *message;
} freetype_errors[] =
#include FT_ERRORS_H

struct ftshim_font {
    FT_Library library;
    FT_Face face;
};

static void copy_text(char *destination, size_t capacity, const char *text) {
    if (destination == NULL || capacity == 0) return;
    if (text == NULL) text = "";
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, text, length);
    destination[length] = '\0';
}

static int fail(char *message, size_t capacity, int code, const char *text) {
    copy_text(message, capacity, text);
    return code;
}

static const char *freetype_message(FT_Error error) {
    for (size_t i = 0; freetype_errors[i].message != NULL; i++) {
        if (freetype_errors[i].code == error) return freetype_errors[i].message;
    }
    return "unknown FreeType error";
}

/* "<what>: <FreeType's text> (FreeType error 0x..)". */
static int fail_freetype(char *message, size_t capacity, const char *what, FT_Error error) {
    char text[FTSHIM_MESSAGE_CAPACITY];
    snprintf(text, sizeof text, "%s: %s (FreeType error 0x%02x)", what, freetype_message(error), (unsigned)error);
    return fail(message, capacity, FTSHIM_ERR_FREETYPE, text);
}

int ftshim_font_open(const char *path, ftshim_font **font_out, char *message, size_t message_capacity) {
    if (font_out == NULL) return fail(message, message_capacity, FTSHIM_ERR_USAGE, "no place for the font");
    *font_out = NULL;
    if (path == NULL) return fail(message, message_capacity, FTSHIM_ERR_USAGE, "no font path");

    /* FreeType says "cannot open resource" for every reason a file does not open; errno tells
       a missing file (a package to install) from one we may not read. */
    FILE *probe = fopen(path, "rb");
    if (probe == NULL) {
        int error_number = errno;
        if (error_number == ENOENT || error_number == ENOTDIR) {
            return fail(message, message_capacity, FTSHIM_ERR_NOT_FOUND, "no such file");
        }
        return fail(message, message_capacity, FTSHIM_ERR_UNREADABLE, strerror(error_number));
    }
    fclose(probe);

    ftshim_font *font = calloc(1, sizeof *font);
    if (font == NULL) return fail(message, message_capacity, FTSHIM_ERR_FREETYPE, "out of memory");
    FT_Error error = FT_Init_FreeType(&font->library);
    if (error != 0) {
        free(font);
        return fail_freetype(message, message_capacity, "starting FreeType", error);
    }
    error = FT_New_Face(font->library, path, 0, &font->face);
    if (error != 0) {
        FT_Done_FreeType(font->library);
        free(font);
        if (error == FT_Err_Unknown_File_Format) {
            return fail(message, message_capacity, FTSHIM_ERR_NOT_A_FONT, "not a font format FreeType knows");
        }
        return fail_freetype(message, message_capacity, "reading the font", error);
    }
    if (FT_Select_Charmap(font->face, FT_ENCODING_UNICODE) != 0) {
        ftshim_font_destroy(font);
        return fail(message, message_capacity, FTSHIM_ERR_NO_UNICODE, "the font has no Unicode character map");
    }
    *font_out = font;
    return FTSHIM_OK;
}

const char *ftshim_font_family(const ftshim_font *font) {
    return font != NULL && font->face->family_name != NULL ? font->face->family_name : "";
}

const char *ftshim_font_style(const ftshim_font *font) {
    return font != NULL && font->face->style_name != NULL ? font->face->style_name : "";
}

int ftshim_font_set_pixel_size(ftshim_font *font, uint32_t pixels, ftshim_line_metrics *metrics,
                               char *message, size_t message_capacity) {
    if (font == NULL || metrics == NULL) return fail(message, message_capacity, FTSHIM_ERR_USAGE, "no font");
    if (pixels < 1 || pixels > FTSHIM_MAX_PIXEL_SIZE) {
        return fail(message, message_capacity, FTSHIM_ERR_USAGE, "pixel size outside 1...4096");
    }
    FT_Error error = FT_Set_Pixel_Sizes(font->face, 0, pixels);
    if (error != 0) return fail_freetype(message, message_capacity, "setting the pixel size", error);
    /* For scalable fonts FreeType rounds these to whole pixels (26.6 values, multiples of 64). */
    const FT_Size_Metrics *size = &font->face->size->metrics;
    metrics->ascender = (int32_t)((size->ascender + 32) >> 6);
    metrics->descender = (int32_t)((-size->descender + 32) >> 6);
    metrics->line_height = (int32_t)((size->height + 32) >> 6);
    return FTSHIM_OK;
}

int ftshim_font_glyph(ftshim_font *font, uint32_t codepoint, uint32_t previous, ftshim_glyph *glyph,
                      char *message, size_t message_capacity) {
    if (font == NULL || glyph == NULL) return fail(message, message_capacity, FTSHIM_ERR_USAGE, "no font");
    if (font->face->size == NULL || font->face->size->metrics.x_ppem == 0) {
        return fail(message, message_capacity, FTSHIM_ERR_USAGE, "no pixel size set");
    }
    memset(glyph, 0, sizeof *glyph);
    FT_UInt index = FT_Get_Char_Index(font->face, codepoint); /* 0: .notdef */
    if (previous != 0 && FT_HAS_KERNING(font->face)) {
        FT_Vector delta = {0, 0};
        FT_UInt previous_index = FT_Get_Char_Index(font->face, previous);
        /* FT_KERNING_DEFAULT: grid-fitted, so pens stay on whole pixels and stems stay crisp. */
        if (previous_index != 0 && FT_Get_Kerning(font->face, previous_index, index, FT_KERNING_DEFAULT, &delta) == 0) {
            glyph->kerning_x = (int32_t)delta.x;
        }
    }
    FT_Error error = FT_Load_Glyph(font->face, index, FT_LOAD_DEFAULT | FT_LOAD_RENDER);
    if (error != 0) {
        char what[64];
        snprintf(what, sizeof what, "rendering U+%04X", (unsigned)codepoint);
        return fail_freetype(message, message_capacity, what, error);
    }
    FT_GlyphSlot slot = font->face->glyph;
    const FT_Bitmap *bitmap = &slot->bitmap;
    /* FreeType's smooth rasteriser writes top-down 8-bit rows; anything else is refused, not guessed at. */
    if (bitmap->width > 0 && bitmap->rows > 0 && (bitmap->pixel_mode != FT_PIXEL_MODE_GRAY || bitmap->pitch < 0)) {
        char text[96];
        snprintf(text, sizeof text, "U+%04X rendered in pixel mode %d with pitch %d, not top-down 8-bit grey",
                 (unsigned)codepoint, (int)bitmap->pixel_mode, (int)bitmap->pitch);
        return fail(message, message_capacity, FTSHIM_ERR_FREETYPE, text);
    }
    glyph->left = slot->bitmap_left;
    glyph->top = slot->bitmap_top;
    glyph->width = bitmap->width;
    glyph->rows = bitmap->rows;
    glyph->pitch = bitmap->pitch;
    glyph->buffer = bitmap->width > 0 && bitmap->rows > 0 ? bitmap->buffer : NULL;
    glyph->advance_x = (int32_t)slot->advance.x;
    return FTSHIM_OK;
}

void ftshim_font_destroy(ftshim_font *font) {
    if (font == NULL) return;
    if (font->face != NULL) FT_Done_Face(font->face);
    FT_Done_FreeType(font->library);
    free(font);
}
