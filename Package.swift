// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Fondi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fondi", targets: ["FondiCLI"]),
        .library(name: "Fondi", targets: ["Fondi"]),
        .library(name: "FondiStore", targets: ["FondiStore"]),
        .library(name: "FondiServizi", targets: ["FondiServizi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // The domain: events, rules, projections, money. Depends on nothing, so it cannot do I/O.
        .target(name: "Fondi", swiftSettings: strictSettings),
        // The system SQLite (libsqlite3-dev), through its C API.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "FondiStore",
            dependencies: ["Fondi", "CSQLite", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The shared layer of every front end (CLI now, web and API next): the command table, parsing of
        // command lines and import lines, views, error categories. No I/O of its own beyond reading files.
        .target(name: "FondiServizi", dependencies: ["Fondi", "FondiStore", "ZIPFoundation"], swiftSettings: strictSettings),
        .executableTarget(
            name: "FondiCLI",
            dependencies: ["Fondi", "FondiStore", "FondiServizi"],
            swiftSettings: strictSettings
        ),
        // Fuzz targets (libFuzzer through Scripts/fuzz; a corpus runner when built plainly).
        .executableTarget(name: "FondiFuzz", dependencies: ["Fondi", "FondiStore", "FondiServizi"], swiftSettings: strictSettings),
        // Test support: an in-memory reference ledger and fixtures (cf. HummingbirdTesting).
        .target(name: "FondiTesting", dependencies: ["Fondi"], swiftSettings: strictSettings),
        // Benchmarks: a plain executable run in release by Scripts/bench (no heavy benchmark framework in the test build).
        .executableTarget(name: "FondiBench", dependencies: ["Fondi", "FondiStore", "FondiTesting", "CSQLite"], swiftSettings: strictSettings),
        .testTarget(
            name: "FondiTests",
            dependencies: ["Fondi", "FondiTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiStoreTests",
            dependencies: ["Fondi", "FondiStore", "FondiTesting", "CSQLite", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiCLITests",
            dependencies: ["FondiCLI", "Fondi", "FondiStore", "FondiServizi", "FondiTesting"],
            swiftSettings: strictSettings
        ),
    ]
)
