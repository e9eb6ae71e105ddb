import Fondi
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A progress line on the terminal for long operations: events done, events/s, ETA. Silent when stderr is
/// not a terminal or the output is JSON, so scripts and pipes see nothing of it.
final class Avanzamento {
    let totale: Int64
    let attivo: Bool
    let unita: String
    private let inizio = Avanzamento.secondi()
    private var ultimo = 0.0
    private(set) var fatti: Int64 = 0
    private var righe = 0
    /// For `importa`: progress in bytes of the file, with the lines read so far.
    let mostraRighe: Bool

    init(totale: Int64, formato: Formato, unita: String = "eventi", mostraRighe: Bool = false) {
        self.totale = max(totale, 1)
        self.unita = unita
        self.mostraRighe = mostraRighe
        attivo = isatty(2) == 1 && formato != .json && totale >= 10_000
    }

    /// Sets the progress (bytes of the file read, lines parsed, validated and written).
    func imposta(fatti: Int64, righe: Int) {
        self.righe = righe
        let prima = self.fatti
        self.fatti = fatti
        guard attivo, righe & 0x3FF == 0 || fatti == totale, fatti != prima else { return }
        mostra()
    }

    static func secondi() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    var trascorsi: Double { Self.secondi() - inizio }

    func passo(_ n: Int64 = 1) {
        fatti += n
        guard attivo, fatti & 0x3FF == 0 else { return }
        mostra()
    }

    private func mostra() {
        let t = trascorsi
        guard t - ultimo >= 0.2 else { return }
        ultimo = t
        let velocita = Double(fatti) / max(t, 1e-9)
        let eta = Double(totale - fatti) / max(velocita, 1)
        if mostraRighe {
            let percento = Int(Double(fatti) * 100 / Double(totale))
            Uscita.scrivi("\r\(righe) righe lette, verificate e scritte (\(percento)% del file), \(Int(Double(righe) / max(t, 1e-9))) righe/s, fine tra \(Int(eta.rounded())) s   ", su: 2)
        } else {
            Uscita.scrivi("\r\(fatti)/\(totale) \(unita), \(Int(velocita)) \(unita)/s, fine tra \(Int(eta.rounded())) s   ", su: 2)
        }
    }

    /// Runs a long operation with a progress line, mapping an integrity failure to exit 3.
    static func esegui<T>(totale: Int64, formato: Formato, unita: String = "eventi", _ corpo: (Avanzamento) throws -> T) throws -> T {
        let a = Avanzamento(totale: totale, formato: formato, unita: unita)
        defer { a.fine() }
        do { return try corpo(a) } catch let e as ErroreIntegrita { throw VerificaFallita(messaggio: e.description) }
    }

    /// Clears the progress line, so what follows starts on a clean line. Idempotent.
    func fine() {
        if attivo && ultimo > 0 { Uscita.scrivi("\r" + String(repeating: " ", count: 100) + "\r", su: 2) }
        ultimo = 0
    }
}
