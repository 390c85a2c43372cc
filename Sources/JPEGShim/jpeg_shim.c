/*
 * jpeg_shim.c — the only code that calls libjpeg: every entry point sets up setjmp before
 * libjpeg may call error_exit, and turns errors and warnings into a code and a message.
 */
#include "jpeg_shim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr manager; /* first: libjpeg's err pointer is cast back to this */
    jmp_buf jump;
    int code;
    char message[JPEGSHIM_MESSAGE_CAPACITY];
    int warning_code;              /* libjpeg's msg_code of the first warning, -1 none */
    char warning[JPEGSHIM_MESSAGE_CAPACITY];
} shim_errors;

static void copy_text(char *destination, size_t capacity, const char *text) {
    if (destination == NULL || capacity == 0) return;
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, text, length);
    destination[length] = '\0';
}

static int fail(char *message, size_t capacity, int code, const char *text) {
    copy_text(message, capacity, text);
    return code;
}

static void on_error_exit(j_common_ptr info) {
    shim_errors *errors = (shim_errors *)info->err;
    if (errors->code == JPEGSHIM_OK) {
        errors->code = errors->manager.msg_code == JERR_OUT_OF_MEMORY ? JPEGSHIM_ERR_NO_MEMORY : JPEGSHIM_ERR_LIBJPEG;
        char text[JMSG_LENGTH_MAX];
        (*info->err->format_message)(info, text);
        copy_text(errors->message, sizeof errors->message, text);
    }
    longjmp(errors->jump, 1);
}

/* Warnings (level -1) are kept, the first one only; trace messages are dropped. */
static void on_emit_message(j_common_ptr info, int level) {
    shim_errors *errors = (shim_errors *)info->err;
    if (level >= 0 || errors->warning_code >= 0) return;
    errors->warning_code = errors->manager.msg_code;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    copy_text(errors->warning, sizeof errors->warning, text);
}

/* The error manager for a compress or decompress struct's err. */
static struct jpeg_error_mgr *install(shim_errors *errors) {
    memset(errors, 0, sizeof *errors);
    struct jpeg_error_mgr *manager = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = on_error_exit;
    errors->manager.emit_message = on_emit_message;
    errors->warning_code = -1;
    return manager;
}

/* A warning means libjpeg made up data: the end of a truncated file, or a corrupt segment. */
static int warning_as_error(const shim_errors *errors, char *message, size_t capacity) {
    if (errors->warning_code < 0) return JPEGSHIM_OK;
    if (errors->warning_code == JWRN_JPEG_EOF) {
        return fail(message, capacity, JPEGSHIM_ERR_TRUNCATED, "the file ends before the JPEG image data does (a truncated file)");
    }
    char text[JPEGSHIM_MESSAGE_CAPACITY];
    snprintf(text, sizeof text, "the JPEG data is corrupt (libjpeg: %s)", errors->warning);
    return fail(message, capacity, JPEGSHIM_ERR_LIBJPEG, text);
}

static void describe(const struct jpeg_decompress_struct *info, jpegshim_info *out) {
    out->width = info->image_width;
    out->height = info->image_height;
    out->components = info->num_components;
    out->color_space = (int)info->jpeg_color_space;
    out->data_precision = info->data_precision;
    out->progressive = info->progressive_mode ? 1 : 0;
}

int jpegshim_read_header(const uint8_t *data, size_t length, jpegshim_info *out, char *message, size_t message_capacity) {
    if (data == NULL || out == NULL) return fail(message, message_capacity, JPEGSHIM_ERR_USAGE, "missing argument");
    if (length == 0) return fail(message, message_capacity, JPEGSHIM_ERR_TRUNCATED, "the file is empty");
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct info;
    shim_errors errors;
    info.err = install(&errors);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&info);
        return fail(message, message_capacity, errors.code, errors.message);
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    describe(&info, out);
    jpeg_destroy_decompress(&info);
    return warning_as_error(&errors, message, message_capacity);
}

int jpegshim_decode_rgb(const uint8_t *data, size_t length, uint8_t *out, size_t out_capacity,
                        char *message, size_t message_capacity) {
    if (data == NULL || out == NULL) return fail(message, message_capacity, JPEGSHIM_ERR_USAGE, "missing argument");
    struct jpeg_decompress_struct info;
    shim_errors errors;
    info.err = install(&errors);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&info);
        return fail(message, message_capacity, errors.code, errors.message);
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&info);
        return fail(message, message_capacity, JPEGSHIM_ERR_UNSUPPORTED,
                    "the JPEG is CMYK (a print file); photos must be RGB or greyscale JPEGs");
    }
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    size_t row_bytes = (size_t)info.output_width * 3;
    if (info.output_components != 3 || (size_t)info.output_height * row_bytes > out_capacity) {
        jpeg_destroy_decompress(&info);
        return fail(message, message_capacity, JPEGSHIM_ERR_USAGE, "the output buffer does not match the image");
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + (size_t)info.output_scanline * row_bytes;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return warning_as_error(&errors, message, message_capacity);
}

int jpegshim_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, const uint8_t *app1,
                        size_t app1_length, int cmyk, uint8_t **out, size_t *out_length, char *message, size_t message_capacity) {
    if (rgb == NULL || out == NULL || out_length == NULL || width == 0 || height == 0 || app1_length > 65533) {
        return fail(message, message_capacity, JPEGSHIM_ERR_USAGE, "missing or bad argument");
    }
    *out = NULL;
    *out_length = 0;
    struct jpeg_compress_struct info;
    shim_errors errors;
    info.err = install(&errors);
    unsigned char *buffer = NULL;
    unsigned long buffer_length = 0;
    uint8_t *volatile cmyk_row = NULL;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        free(cmyk_row);
        return fail(message, message_capacity, errors.code, errors.message);
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &buffer_length);
    info.image_width = width;
    info.image_height = height;
    info.input_components = cmyk ? 4 : 3;
    info.in_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    if (app1 != NULL) jpeg_write_marker(&info, JPEG_APP0 + 1, app1, (unsigned int)app1_length);
    if (cmyk) cmyk_row = malloc((size_t)width * 4);
    while (info.next_scanline < info.image_height) {
        const uint8_t *source = rgb + (size_t)info.next_scanline * width * 3;
        JSAMPROW row = (JSAMPROW)source;
        if (cmyk_row != NULL) {
            for (uint32_t x = 0; x < width; x++) {
                /* Adobe's inverted CMYK: 255 - ink; no black generation. */
                cmyk_row[4 * x] = source[3 * x];
                cmyk_row[4 * x + 1] = source[3 * x + 1];
                cmyk_row[4 * x + 2] = source[3 * x + 2];
                cmyk_row[4 * x + 3] = 255;
            }
            row = cmyk_row;
        }
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    free(cmyk_row);
    *out = buffer;
    *out_length = buffer_length;
    return JPEGSHIM_OK;
}

void jpegshim_free(uint8_t *bytes) { free(bytes); }
