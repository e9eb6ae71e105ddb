#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Monotonic seconds.
func adesso() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
func piccoMemoriaMiB() -> Double {
    guard let f = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(f) }
    var riga = [CChar](repeating: 0, count: 256)
    while fgets(&riga, 256, f) != nil {
        let s = String(decoding: riga.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.hasPrefix("VmHWM:") {
            let kb = s.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) } ?? -1
            return kb / 1024
        }
    }
    return -1
}

/// Bytes on disk of a database: the main file plus its write-ahead log.
func dimensioneFile(_ percorso: String) -> Int64 {
    var totale: Int64 = 0
    for suffisso in ["", "-wal"] {
        var s = stat()
        if stat(percorso + suffisso, &s) == 0 { totale += Int64(s.st_size) }
    }
    return totale
}

func rimuovi(_ percorso: String) {
    for suffisso in ["", "-wal", "-shm"] { unlink(percorso + suffisso) }
}

func riga(_ campi: [(String, String)]) {
    print(campi.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
}

func f1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return String(r)
}
