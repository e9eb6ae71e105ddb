// Goal: a closing reads the impegni still to pay from the tables row by row instead of loading its year
// (issue 22: memory must not grow with the year), and decides exactly what the in-memory model decides: after
// earlier transactions (more open impegni than one PostgreSQL cursor batch, residui of an earlier year, an
// impegno paid in full after 31/12, impegni of the next year), inside one transaction after commands that
// created or changed impegni not yet written back, and with commands after it in the same transaction.
@testable import Fondi
@testable import FondiPostgres
@testable import FondiStore
import FondiTesting
import Testing

/// Commands given to the store in transactions and to the in-memory model one by one.
private struct Parallelo {
    let t: RegistroTemporaneo
    var modello = RegistroInMemoria(impronta: Catena.impronta)
    var lotto: [Passo] = []

    init() throws { t = try RegistroTemporaneo() }

    /// Events of the model before the batch's first command.
    private var inizio = 0

    mutating func passo(_ c: Comando, _ d: String, atto: String? = "Atto") throws {
        if lotto.isEmpty { inizio = modello.eventi.count }
        lotto.append(Passo(comando: c, contesto: Contesto(data: DataContabile(d), atto: atto.flatMap { Testo(validando: $0) }, utente: "test", chiave: nil),
                           riga: lotto.count + 1))
        _ = try modello.esegui(c, data: DataContabile(d), atto: atto)
    }

    /// The batch in one transaction: the events the store appended, and the model's for the same commands.
    mutating func registra() throws -> (ottenuti: [Evento], attesi: [Evento]) {
        defer { lotto = [] }
        let ottenuti = try t.registro.registra(lotto).flatMap(\.eventi).map(\.evento)
        return (ottenuti, modello.eventi[inizio...].map(\.evento))
    }

    mutating func impegna(_ numero: String, _ linea: LineaChiave, centesimi: Int64, _ data: String) throws {
        try passo(.impegna(numero: try NumeroImpegno(numero, campo: "numero"), linea: linea, importo: .c(centesimi),
                           creditore: Testo(validando: "Coop \(centesimi % 7)")!, oggetto: "SAD", cig: nil, cup: nil), data)
    }
}

struct ChiusuraInBlocchiTests {
    static let l2022 = LineaChiave(fonte: "FNPS", servizio: "SAD", esercizio: 2022)
    static let l2023 = LineaChiave(fonte: "FNPS", servizio: "SAD", esercizio: 2023)
    static let l2024 = LineaChiave(fonte: "FNPS", servizio: "SAD", esercizio: 2024)

    /// Fonte, servizio, lines of 2022-2024; 40 impegni of 2022 closed as residui; `aperti` impegni of 2023
    /// (more than a PostgreSQL cursor batch); 2023/1 paid in full after 31/12; an impegno of 2024.
    private static func storia(_ p: inout Parallelo, aperti: Int) throws {
        try p.passo(.fonteRegistra(codice: "FNPS", tipo: "FNPS", annualita: 2022, importo: .euro(1_000_000), vincolata: true, descrizione: nil), "2022-01-02")
        try p.passo(.servizioRegistra(codice: "SAD", descrizione: "Assistenza domiciliare"), "2022-01-02")
        try p.passo(.programma(linea: l2022, importo: .euro(100_000)), "2022-01-03")
        for i in 1...40 { try p.impegna("2022/\(i)", l2022, centesimi: Int64(1_000 + i), "2022-03-01") }
        try p.passo(.chiudi(esercizio: 2022), "2023-01-05")
        try p.passo(.programma(linea: l2023, importo: .euro(500_000)), "2023-01-10")
        try p.passo(.programma(linea: l2024, importo: .euro(100_000)), "2024-01-10")
        for i in 1...aperti { try p.impegna("2023/\(i)", l2023, centesimi: Int64(100 + i), "2023-03-01") }
        try p.impegna("2024/1", l2024, centesimi: 5_000, "2024-01-11")
        try p.passo(.liquida(numero: "L1", impegno: "2023/1", importo: .c(101), documento: nil), "2023-06-01")
        try p.passo(.paga(mandato: "M1", liquidazione: "L1", importo: .c(101)), "2024-01-20")
        try p.passo(.liquida(numero: "L5", impegno: "2023/5", importo: .c(105), documento: nil), "2023-06-01")
    }

    @Test func unaChiusuraLettaRigaPerRigaDecideComeIlModello() throws {
        var p = try Parallelo()
        try Self.storia(&p, aperti: IstruzionePostgres.lotto + 500)
        _ = try p.registra()
        // One transaction: impegni not yet written back, one paid in full in 2023, one paid after 31/12, one
        // reduced, one cancelled, the closing, then a command after it.
        let n = IstruzionePostgres.lotto + 500
        for i in (n + 1)...(n + 300) { try p.impegna("2023/\(i)", Self.l2023, centesimi: Int64(100 + i), "2023-09-01") }
        try p.passo(.liquida(numero: "L2", impegno: "2023/2", importo: .c(102), documento: nil), "2023-06-01")
        try p.passo(.paga(mandato: "M2", liquidazione: "L2", importo: .c(102)), "2023-06-02")
        try p.passo(.liquida(numero: "L3", impegno: "2023/3", importo: .c(103), documento: nil), "2023-06-01")
        try p.passo(.paga(mandato: "M3", liquidazione: "L3", importo: .c(103)), "2024-01-15")
        try p.passo(.impegnoRiduci(impegno: "2023/4", importo: .c(50), motivo: "minore spesa"), "2023-07-01")
        try p.passo(.impegnoRiduci(impegno: try NumeroImpegno("2023/\(n + 300)", campo: "impegno"), importo: .c(Int64(100 + n + 300)),
                                   motivo: "annullato"), "2023-10-01")
        try p.passo(.chiudi(esercizio: 2023), "2024-02-01")
        try p.passo(.liquida(numero: "L6", impegno: "2023/6", importo: .c(106), documento: nil), "2024-02-02")
        let (ottenuti, attesi) = try p.registra()
        #expect(ottenuti == attesi)
        let residui = attesi.compactMap { e -> (String, Int)? in
            if case let .residuoRiportato(i, anno, _) = e { (i, anno) } else { nil }
        }
        // 40 of 2022, every 2023 impegno but 2023/2 (paid) and the cancelled one; 2023/1 paid after 31/12.
        #expect(residui.count == 40 + n + 300 - 2)
        #expect(residui.contains { $0 == ("2023/1", 2023) } && residui.contains { $0 == ("2022/7", 2022) })
        #expect(!residui.contains { $0.0 == "2024/1" || $0.0 == "2023/2" })
        #expect(try p.t.registro.statoMemorizzato() == p.modello.stato)
        #expect(try p.t.registro.verifica().differenze.isEmpty)
    }

    /// A later command of the batch names an existing mandato dated after 31/12 (a mistake: it is refused):
    /// its read-ahead loads the mandato without its liquidazione, and the closing must still find it.
    @Test func unMandatoGiaLettoInAnticipoNonFermaLaChiusura() throws {
        var p = try Parallelo()
        try Self.storia(&p, aperti: 30)
        _ = try p.registra()
        let prima = try p.t.fotografia()
        let comandi: [(Comando, String)] = [
            (.chiudi(esercizio: 2023), "2024-02-01"),
            (.paga(mandato: "M1", liquidazione: "L5", importo: .c(1)), "2024-02-02"),
        ]
        let lotto = comandi.enumerated().map { k, c in
            Passo(comando: c.0, contesto: Contesto(data: DataContabile(c.1), atto: Testo(validando: "Atto"), utente: "test", chiave: nil), riga: k + 1)
        }
        #expect(throws: RifiutoRiga(riga: 2, messaggio: "mandato M1 già emesso: il numero non può essere riusato")) {
            try p.t.registro.registra(lotto)
        }
        let dopo = try p.t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
    }

    @Test func unaChiusuraRifiutataInUnImportNominaLaRigaENonScriveNulla() throws {
        var p = try Parallelo()
        try Self.storia(&p, aperti: 6)
        _ = try p.registra()
        let prima = try p.t.fotografia()
        for (data, atto, messaggio) in [
            ("2023-12-31", "Atto", "chiusura dell'esercizio 2023: la data 2023-12-31 deve essere successiva al 31/12/2023"),
            ("2024-02-01", nil, Rifiuto.attoMancante("chiudi").messaggio),
        ] {
            let lotto = [
                Passo(comando: .liquida(numero: "L9", impegno: "2023/2", importo: .c(1), documento: nil),
                      contesto: Contesto(data: DataContabile("2023-06-01"), atto: Testo(validando: "Atto"), utente: "test", chiave: nil), riga: 1),
                Passo(comando: .chiudi(esercizio: 2023),
                      contesto: Contesto(data: DataContabile(data), atto: atto.flatMap { Testo(validando: $0) }, utente: "test", chiave: nil), riga: 2),
            ]
            #expect(throws: RifiutoRiga(riga: 2, messaggio: messaggio)) { try p.t.registro.registra(lotto) }
        }
        let dopo = try p.t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
    }
}
