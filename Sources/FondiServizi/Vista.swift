import Fondi
import FondiStore

/// Resolves `--al` / `--fino-a` into the state to report on (DOMAIN §6). Without them the stored
/// projections answer directly; with `--fino-a` alone the nearest snapshot plus the tail; with `--al` a
/// date-filtered replay.
public enum Vista {
    public static func stato(_ registro: Registro, al: DataContabile?, fino: Int64?, impegni: Bool,
                             avviso: (String) -> Void) throws -> Stato {
        if let fino { try controllaFino(fino, registro) }
        if al == nil && fino == nil { return try registro.statoPerRapporti(impegniDaPagare: impegni) }
        guard let al else {
            // What the ledger knew after SEQ: the nearest snapshot plus the tail (ADR 0008).
            return try registro.ricostruisciDaIstantanea(fino: fino, avviso: avviso).stato
        }
        return try registro.ricostruisci(fino: fino, filtro: { $0.data <= al }, archivia: true)
    }

    public static func controllaFino(_ fino: Int64, _ registro: Registro) throws {
        let ultimo = try registro.numeroEventi()
        guard fino <= ultimo else {
            throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(ultimo))")
        }
    }

    /// The filters of a report; a fonte or servizio that is not registered is refused (rule 1), rather
    /// than answered with an empty table that looks like "nothing there".
    public static func filtri(_ v: Valori, stato: Stato) throws -> Filtri {
        let fonte = try v.codiceOpzionale("fonte"), servizio = try v.codiceOpzionale("servizio")
        if let fonte, stato.fonti[fonte.testo] == nil { throw Rifiuto(regola: "4.1", "fonte '\(fonte)' sconosciuta") }
        if let servizio, stato.servizi[servizio.testo] == nil { throw Rifiuto(regola: "4.1", "servizio '\(servizio)' sconosciuto") }
        return Filtri(fonte: fonte?.testo, servizio: servizio?.testo, esercizio: try v.annoOpzionale("esercizio"))
    }
}
