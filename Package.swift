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
        // The web application and API (ADR 0015): traits off (no swift-configuration, no full Foundation).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // GET /metriche in Prometheus text format (issue 11).
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        // The regional engine (issue 12, ADR 0019).
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // TLS to a Region's PostgreSQL with libpq's sslmode (issue 22, ADR 0025); already postgres-nio's own.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The domain: events, rules, projections, money. Depends on nothing, so it cannot do I/O.
        .target(name: "Fondi", swiftSettings: strictSettings),
        // The system SQLite (libsqlite3-dev), through its C API.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "FondiStore",
            dependencies: ["Fondi", "CSQLite", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")],
            swiftSettings: strictSettings
        ),
        // The shared layer of every front end (CLI now, web and API next): the command table, parsing of
        // command lines and import lines, views, error categories. No I/O of its own beyond reading files.
        .target(name: "FondiServizi", dependencies: ["Fondi", "FondiStore", "ZIPFoundation"], swiftSettings: strictSettings),
        // `fondi serve`: the pages and the API over the shared layer (DOMAIN §8, ADR 0015).
        .target(
            name: "FondiWeb",
            dependencies: ["Fondi", "FondiStore", "FondiServizi",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strictSettings
        ),
        // The event log on PostgreSQL, one schema per Ambito (issue 12, ADR 0019): same canonical bytes and chain.
        .target(
            name: "FondiPostgres",
            dependencies: ["Fondi", "FondiStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The PostgreSQL benchmark (Scripts/bench-postgres), apart so FondiBench's release build stays without postgres-nio.
        .executableTarget(name: "FondiBenchPostgres", dependencies: ["Fondi", "FondiStore", "FondiPostgres", .product(name: "NIOCore", package: "swift-nio")],
                         swiftSettings: strictSettings),
        .executableTarget(
            name: "FondiCLI",
            dependencies: ["Fondi", "FondiStore", "FondiServizi", "FondiWeb", "FondiPostgres"],
            swiftSettings: strictSettings
        ),
        // Fuzz targets (libFuzzer through Scripts/fuzz; a corpus runner when built plainly).
        .executableTarget(name: "FondiFuzz", dependencies: ["Fondi", "FondiStore", "FondiServizi"], swiftSettings: strictSettings),
        // Test support: an in-memory reference ledger and fixtures (cf. HummingbirdTesting).
        .target(name: "FondiTesting", dependencies: ["Fondi", "FondiStore"], swiftSettings: strictSettings),
        // Benchmarks: a plain executable run in release by Scripts/bench (no heavy benchmark framework in the test build).
        .executableTarget(name: "FondiBench", dependencies: ["Fondi", "FondiStore", "FondiTesting", "CSQLite"], swiftSettings: strictSettings),
        .testTarget(
            name: "FondiTests",
            dependencies: ["Fondi", "FondiTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiStoreTests",
            dependencies: ["Fondi", "FondiStore", "FondiPostgres", "FondiTesting", "CSQLite", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        // The shared layer on its own: parsing of every value from outside, the use cases over the store protocol.
        .testTarget(
            name: "FondiServiziTests",
            dependencies: ["Fondi", "FondiStore", "FondiServizi", "FondiTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiPostgresTests",
            dependencies: ["Fondi", "FondiStore", "FondiPostgres", "FondiTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiWebTests",
            dependencies: ["FondiWeb", "Fondi", "FondiStore", "FondiServizi", "FondiTesting",
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FondiCLITests",
            dependencies: ["FondiCLI", "Fondi", "FondiStore", "FondiServizi", "FondiPostgres", "FondiTesting"],
            swiftSettings: strictSettings
        ),
    ]
)
