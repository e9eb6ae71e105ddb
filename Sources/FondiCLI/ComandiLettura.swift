import ArgumentParser
import Fondi
import FondiStore

/// `--fonte`, `--servizio`, `--esercizio` of the reports (DOMAIN §7).
struct OpzioniFiltri: ParsableArguments {
    @Option(help: "Solo questa fonte.") var fonte: String?
    @Option(help: "Solo questo servizio.") var servizio: String?
    @Option(parsing: .unconditional, help: "Solo questo esercizio.") var esercizio: String?

    func filtri() throws -> Filtri {
        Filtri(fonte: fonte, servizio: servizio, esercizio: try esercizio.map { try Lettura.anno($0, campo: "esercizio") })
    }
}

/// Resolves `--al` / `--fino-a` into the state to report on (DOMAIN §6). Without them the stored
/// projections answer directly; with them the events are replayed up to the requested point.
enum Vista {
    /// Parses the options of a report, resolves the state to report on, renders and prints the tables.
    static func stampa(
        comuni: OpzioniComuni, filtro: OpzioniFiltri, tempo: OpzioniTempo, impegni: Bool, titoli: [String: String],
        _ rapporto: (Stato, Filtri) -> [Tabella]
    ) throws {
        let formato = try comuni.formatoScelto()
        let filtri = try filtro.filtri()
        let stato = try Vista.stato(try comuni.apri(), tempo: tempo, impegni: impegni)
        Uscita.stampa(Uscita.tabelle(rapporto(stato, filtri), formato: formato, titoli: titoli))
    }

    static func stato(_ registro: Registro, tempo: OpzioniTempo, impegni: Bool) throws -> Stato {
        let al = try tempo.al.map { try Lettura.data($0, campo: "al") }
        let fino = try tempo.finoA.map { try Lettura.seq($0, campo: "fino-a") }
        if let fino {
            let ultimo = try registro.numeroEventi()
            guard fino <= ultimo else {
                throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(ultimo))")
            }
        }
        if al == nil && fino == nil { return try registro.statoPerRapporti(impegniDaPagare: impegni) }
        guard let al else {
            // What the ledger knew after SEQ: the nearest snapshot plus the tail (ADR 0008).
            return try registro.ricostruisciDaIstantanea(fino: fino, avviso: Uscita.errore).stato
        }
        return try registro.ricostruisci(fino: fino, filtro: { $0.data <= al }, archivia: true)
    }
}

struct Saldi: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Saldi per linea, fonte, servizio o esercizio.")
    @Option(help: "linea (predefinito), fonte, servizio, esercizio.") var per: String = "linea"
    @OptionGroup var filtro: OpzioniFiltri
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        guard let raggruppamento = Raggruppamento(rawValue: per) else {
            throw ErroreValore("--per '\(per)' non valido: usa linea, fonte, servizio oppure esercizio")
        }
        try Vista.stampa(comuni: comuni, filtro: filtro, tempo: tempo, impegni: false, titoli: [:]) {
            [$0.saldi(per: raggruppamento, filtri: $1)]
        }
    }
}

struct Residui: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disponibile da riportare per fonte e residui passivi per impegno (mai sommati).")
    @OptionGroup var filtro: OpzioniFiltri
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        try Vista.stampa(comuni: comuni, filtro: filtro, tempo: tempo, impegni: true, titoli: [
            "fonti": "Fonti: disponibile da riportare (libero) e residui passivi",
            "impegni": "Impegni con somme da pagare",
        ]) { $0.residui(filtri: $1) }
    }
}

struct Prospetto: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prospetto per fonte da inviare alla Regione: assegnato, programmato, impegnato, liquidato, pagato, residui passivi, economie, disponibile da riportare.")
    @OptionGroup var filtro: OpzioniFiltri
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        try Vista.stampa(comuni: comuni, filtro: filtro, tempo: tempo, impegni: false, titoli: [
            "fonti": "Prospetto per fonte di finanziamento (residui passivi e disponibile da riportare non vanno sommati)",
            "totale": "Totale",
        ]) { $0.prospetto(filtri: $1) }
    }
}
