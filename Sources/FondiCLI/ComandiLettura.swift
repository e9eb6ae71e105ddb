import ArgumentParser
import Fondi
import FondiStore

/// Resolves `--al` / `--fino-a` into the state to report on (DOMAIN §6). Without them the stored
/// projections answer directly; with them the events are replayed up to the requested point.
enum Vista {
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
        return try registro.ricostruisci(fino: fino, filtro: { $0.data <= al })
    }
}

struct Saldi: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Saldi per linea, fonte, servizio o esercizio.")
    @Option(help: "linea (predefinito), fonte, servizio, esercizio.") var per: String = "linea"
    @Option var fonte: String?
    @Option var servizio: String?
    @Option var esercizio: String?
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        guard let raggruppamento = Raggruppamento(rawValue: per) else {
            throw ErroreValore("--per '\(per)' non valido: usa linea, fonte, servizio oppure esercizio")
        }
        let formato = try comuni.formatoScelto()
        let filtri = Filtri(fonte: fonte, servizio: servizio, esercizio: try esercizio.map { try Lettura.anno($0, campo: "esercizio") })
        let registro = try comuni.apri()
        let stato = try Vista.stato(registro, tempo: tempo, impegni: false)
        Uscita.stampa(Uscita.tabelle([stato.saldi(per: raggruppamento, filtri: filtri)], formato: formato))
    }
}

struct Residui: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disponibile da riportare per fonte e residui passivi per impegno (mai sommati).")
    @Option var fonte: String?
    @Option var servizio: String?
    @Option var esercizio: String?
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let filtri = Filtri(fonte: fonte, servizio: servizio, esercizio: try esercizio.map { try Lettura.anno($0, campo: "esercizio") })
        let registro = try comuni.apri()
        let stato = try Vista.stato(registro, tempo: tempo, impegni: true)
        Uscita.stampa(Uscita.tabelle(stato.residui(filtri: filtri), formato: formato, titoli: [
            "fonti": "Fonti: disponibile da riportare (libero) e residui passivi",
            "impegni": "Impegni con somme da pagare",
        ]))
    }
}

struct Prospetto: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prospetto per fonte da inviare alla Regione: assegnato, programmato, impegnato, liquidato, pagato, residui passivi, economie, disponibile da riportare.")
    @Option var fonte: String?
    @Option var servizio: String?
    @Option var esercizio: String?
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let filtri = Filtri(fonte: fonte, servizio: servizio, esercizio: try esercizio.map { try Lettura.anno($0, campo: "esercizio") })
        let registro = try comuni.apri()
        let stato = try Vista.stato(registro, tempo: tempo, impegni: false)
        Uscita.stampa(Uscita.tabelle(stato.prospetto(filtri: filtri), formato: formato, titoli: [
            "fonti": "Prospetto per fonte di finanziamento (residui passivi e disponibile da riportare non vanno sommati)",
            "totale": "Totale",
        ]))
    }
}
