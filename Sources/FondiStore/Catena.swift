import Crypto
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Fondi

/// The hash chain of DOMAIN §6: `hash(n) = SHA-256(hash(n−1) ‖ canonical bytes of event n)`,
/// with 32 zero bytes as `hash(0)`.
public enum Catena {
    public static let hashZero = [UInt8](repeating: 0, count: 32)

    /// The hash of one event given the previous one.
    public static func hash(precedente: [UInt8], canonico: [UInt8]) -> [UInt8] {
        canonico.withUnsafeBytes { hash(precedente: precedente, canonico: $0) }
    }

    /// The same, over bytes in a batch buffer (replay).
    static func hash(precedente: [UInt8], canonico: UnsafeRawBufferPointer) -> [UInt8] {
        var h = SHA256()
        h.update(data: precedente)
        h.update(bufferPointer: canonico)
        return Array(h.finalize())
    }

    /// SHA-256 of some bytes, as 64 lowercase hex digits.
    public static func impronta(_ byte: [UInt8]) -> String { esadecimale(Array(SHA256.hash(data: byte))) }

    public static func esadecimale(_ byte: [UInt8]) -> String { Esadecimale.testo(byte) }

    /// SHA-256 of a file's bytes, read in blocks (memory does not grow with the file).
    public static func improntaFile(_ percorso: String) throws -> String {
        guard let f = fopen(percorso, "rb") else {
            throw ErroreArchivio(codice: 14, messaggio: "file '\(percorso)' non leggibile", dettaglio: "fopen")
        }
        defer { fclose(f) }
        var h = SHA256()
        var blocco = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&blocco, 1, blocco.count, f)
            if n > 0 { blocco.withUnsafeBytes { h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
            if n < blocco.count { break }
        }
        return esadecimale(Array(h.finalize()))
    }

    /// Parses 64 hex digits (either case) into 32 bytes.
    public static func byteDaEsadecimale(_ testo: String) -> [UInt8]? {
        let b = Array(testo.utf8)
        guard b.count == 64 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out = [UInt8]()
        for i in stride(from: 0, to: 64, by: 2) {
            guard let a = v(b[i]), let c = v(b[i + 1]) else { return nil }
            out.append(a << 4 | c)
        }
        return out
    }
}

/// The recording clock: UTC, millisecond precision, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
public enum Orologio {
    @Sendable public static func adesso() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = tm()
        var secondi = ts.tv_sec
        gmtime_r(&secondi, &t)
        func d(_ n: Int32, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(d(t.tm_year + 1900, 4))-\(d(t.tm_mon + 1, 2))-\(d(t.tm_mday, 2))T\(d(t.tm_hour, 2)):\(d(t.tm_min, 2)):\(d(t.tm_sec, 2)).\(d(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }

    /// Today's date in the local time zone: the default of `--data`.
    public static func oggi() -> DataContabile {
        var secondi = time(nil)
        var t = tm()
        localtime_r(&secondi, &t)
        return DataContabile(anno: Int(t.tm_year) + 1900, mese: Int(t.tm_mon) + 1, giorno: Int(t.tm_mday))
    }
}
