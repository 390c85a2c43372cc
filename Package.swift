// swift-tools-version: 6.1
// The SMP preview renderer. Targets follow the pipeline (DESIGN.md, "Targets"), so the
// compiler keeps dependencies one-way: the sampler knows nothing of scalps, the engine
// nothing of the command line.
import PackageDescription

// The sampler and the engine are compiled with optimisation in debug builds too: the tests
// sample and render tens of thousands of dots, which unoptimised code does 20–25 times slower
// (7.3 s instead of 0.3 s for the demo scene's statistics). Same results either way: the
// sampler's output is bit-identical across optimisation levels (checked on the demo scene).
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "SMPPreview",
    products: [
        .executable(name: "smp", targets: ["smp"]),
        .library(name: "SMPEngine", targets: ["SMPEngine"]),
        .library(name: "PoissonDisk", targets: ["PoissonDisk"]),
        .library(name: "PNGIO", targets: ["PNGIO"]),
        .library(name: "ImageText", targets: ["ImageText"]),
        .library(name: "PhotoIO", targets: ["PhotoIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        // libpng, the system C library. A missing libpng-dev gives the apt hint.
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // zlib, the system C library, for the IDAT pieces deflated on several threads.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Intel's ISA-L (igzip), the system C library: the `fast` preset's deflate, about twice
        // zlib's speed on renders for files of the same size (Benchmarks/NOTES.md).
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        // The only code that calls libpng (catches its longjmp errors with setjmp), and the
        // code that deflates an image's IDAT in pieces with zlib or ISA-L.
        .target(name: "PNGShim", dependencies: ["CLibPNG", "CZlib", "CISAL"]),
        .target(name: "PNGIO", dependencies: ["PNGShim"]),
        // libjpeg-turbo through its libjpeg API (Debian's libjpeg62-turbo-dev), for patients'
        // photos. A missing one gives the apt hint.
        .systemLibrary(
            name: "CLibJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),
        // The only code that calls libjpeg (catches its error_exit with setjmp; its warnings
        // about damaged data are errors).
        .target(name: "JPEGShim", dependencies: ["CLibJPEG"]),
        // Photos in: JPEG (EXIF orientation applied) and PNG, as 8-bit sRGB.
        .target(name: "PhotoIO", dependencies: ["JPEGShim", "PNGIO"]),
        // FreeType, the system C library, for text on images. A missing libfreetype-dev gives
        // the apt hint.
        .systemLibrary(
            name: "CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"])]
        ),
        // The only code that calls FreeType: turns its error codes into ours with a message.
        .target(name: "FreeTypeShim", dependencies: ["CFreeType"]),
        // Labels, scale bars and the simulation mark: text drawn into RGB8 images.
        .target(name: "ImageText", dependencies: ["FreeTypeShim"]),
        // Pure Swift, no Foundation: the libm it needs (sqrt, floor) is linked explicitly.
        .target(
            name: "PoissonDisk",
            swiftSettings: optimizedEvenInDebug,
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        // glibc's malloc settings for long-lived processes (the live page), through mallopt,
        // which Swift's Glibc module does not export.
        .target(name: "MallocPolicy"),
        .target(
            name: "SMPEngine",
            dependencies: ["PoissonDisk", "PNGIO", "ImageText", "PhotoIO", "MallocPolicy", .product(name: "Yams", package: "Yams")],
            swiftSettings: optimizedEvenInDebug
        ),
        // `smp serve`: the live tuning page. Its own target, so the engine knows nothing of HTTP.
        .target(
            name: "SMPServer",
            dependencies: ["SMPEngine", "PNGIO", "ImageText", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .executableTarget(
            name: "smp",
            dependencies: ["SMPEngine", "SMPServer", "ImageText", "PhotoIO", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PNGIOTests", dependencies: ["PNGIO"]),
        .testTarget(name: "PoissonDiskTests", dependencies: ["PoissonDisk"]),
        .testTarget(name: "ImageTextTests", dependencies: ["ImageText"]),
        .testTarget(name: "PhotoIOTests", dependencies: ["PhotoIO", "PNGIO"]),
        // Resources/golden-digests.json is read from the source tree (GoldenDigestTests), where
        // re-blessing writes it; it is not bundled.
        .testTarget(name: "SMPEngineTests", dependencies: ["SMPEngine", "PNGIO", "PoissonDisk", "ImageText", "PhotoIO"],
                    exclude: ["Resources"]),
        .testTarget(name: "SMPCommandTests", dependencies: ["smp", "SMPEngine", "PNGIO", "PhotoIO"]),
        .testTarget(name: "SMPServerTests", dependencies: [
            "SMPServer", "SMPEngine", "PNGIO", .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
