// swift-tools-version: 6.1
// Benchmarks and calibration runs, kept out of the main package so that normal builds and
// tests never compile ordo-one's benchmark. From this folder:
//   swift package benchmark                       # all benchmarks (release)
//   swift package benchmark --target RenderBenchmarks   # or just one suite
//   swift run -c release smp-calibrate density    # re-measure the sampler's calibration
//   swift run -c release smp-profile render       # one run of a case, for a profiler (see its main.swift)
import PackageDescription

let package = Package(
    name: "SMPBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "SMPPreview", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The cases the benchmarks time, shared with smp-profile.
        .target(
            name: "BenchmarkCases",
            dependencies: [
                .product(name: "PoissonDisk", package: "SMPPreview"),
                .product(name: "SMPEngine", package: "SMPPreview"),
                .product(name: "PNGIO", package: "SMPPreview"),
                .product(name: "PhotoIO", package: "SMPPreview"),
            ]
        ),
        .executableTarget(
            name: "SamplerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PoissonDisk", package: "SMPPreview"),
                "BenchmarkCases",
            ],
            path: "Benchmarks/SamplerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RenderBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SMPEngine", package: "SMPPreview"),
                .product(name: "PNGIO", package: "SMPPreview"),
                "BenchmarkCases",
            ],
            path: "Benchmarks/RenderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "smp-profile",
            dependencies: [
                "BenchmarkCases",
                .product(name: "PoissonDisk", package: "SMPPreview"),
                .product(name: "SMPEngine", package: "SMPPreview"),
            ],
            path: "Sources/Profile"
        ),
        .executableTarget(
            name: "smp-skin-transport",
            dependencies: [.product(name: "SMPEngine", package: "SMPPreview")],
            path: "Sources/SkinTransportTable"
        ),
        .executableTarget(
            name: "smp-calibrate",
            dependencies: [.product(name: "PoissonDisk", package: "SMPPreview")],
            path: "Sources/SamplerCalibration"
        ),
    ]
)
