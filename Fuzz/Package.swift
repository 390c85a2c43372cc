// swift-tools-version: 6.1
// libFuzzer targets for the readers of untrusted input: the scene reader (YAML text) and the
// PNG reader. Kept out of the main package, like Benchmarks/: every target here is built with
// `-sanitize=fuzzer` (and address), which a normal build must not get. Build and run with
// ./run (see it for the flags and the time bound).
import PackageDescription

let package = Package(
    name: "SMPFuzz",
    dependencies: [
        .package(name: "SMPPreview", path: ".."),
    ],
    targets: [
        // Starts libFuzzer from a target's own entry point (see its doc comment).
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzSceneReader",
            dependencies: ["FuzzDriver", .product(name: "SMPEngine", package: "SMPPreview")]
        ),
        .executableTarget(
            name: "FuzzPNGReader",
            dependencies: ["FuzzDriver", .product(name: "PNGIO", package: "SMPPreview")]
        ),
    ]
)
