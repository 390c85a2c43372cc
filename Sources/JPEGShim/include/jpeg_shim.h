/*
 * jpeg_shim.h — the setjmp-guarded boundary between Swift and libjpeg(-turbo).
 *
 * libjpeg reports a fatal error by calling error_exit, which by default exits the process; the
 * shim's error_exit longjmps back into the entry point instead, which must never cross a Swift
 * frame. Its warnings (corrupt data it skipped, a premature end of the data it padded) are
 * errors here: a photo decoded from damaged data is not the patient's photo.
 *
 * This header does not include <jpeglib.h>: Swift sees only these types.
 */
#ifndef JPEG_SHIM_H
#define JPEG_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JPEGSHIM_OK 0
#define JPEGSHIM_ERR_LIBJPEG 1     /* libjpeg rejected the data (bad marker, bad Huffman table...) */
#define JPEGSHIM_ERR_TRUNCATED 2   /* the data ends before the image does */
#define JPEGSHIM_ERR_UNSUPPORTED 3 /* a valid JPEG of a kind we do not read (CMYK, 12-bit...) */
#define JPEGSHIM_ERR_NO_MEMORY 4
#define JPEGSHIM_ERR_USAGE 5

#define JPEGSHIM_MESSAGE_CAPACITY 512

/* What the header says. color_space is libjpeg's J_COLOR_SPACE of the file. */
typedef struct {
    uint32_t width;
    uint32_t height;
    int components;
    int color_space;       /* 1 grey, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK (libjpeg's numbering) */
    int data_precision;    /* bits per sample */
    int progressive;
} jpegshim_info;

/* Reads the header of the JPEG in data[0..<length]. */
int jpegshim_read_header(const uint8_t *data, size_t length, jpegshim_info *info, char *message, size_t message_capacity);

/* Decodes the JPEG into `out`, width * height * 3 bytes of 8-bit RGB, rows top to bottom (as
 * stored: the EXIF orientation is the caller's). Grey images become R = G = B. CMYK and YCCK
 * are refused (JPEGSHIM_ERR_UNSUPPORTED). */
int jpegshim_decode_rgb(const uint8_t *data, size_t length, uint8_t *out, size_t out_capacity,
                        char *message, size_t message_capacity);

/* Encodes width * height 8-bit RGB pixels at `quality` (1-100), with the bytes of an APP1
 * segment's data (e.g. "Exif\0\0" and a TIFF block) written after the header if `app1` is not
 * NULL; `cmyk` nonzero writes a four-channel Adobe CMYK file from the same pixels (for tests of
 * the refusal). *out is malloc'ed: free it with jpegshim_free. */
int jpegshim_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, const uint8_t *app1,
                        size_t app1_length, int cmyk, uint8_t **out, size_t *out_length, char *message, size_t message_capacity);

void jpegshim_free(uint8_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* JPEG_SHIM_H */
