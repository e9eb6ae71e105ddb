// Goal: a closing reads the impegni still to pay from the tables in blocks instead of loading its year
// (issue 22: memory must not grow with the year), and decides exactly what the in-memory model decides: inside
// one transaction after commands that created or changed impegni not yet written back, across more than one
// block, with payments dated after 31/12 added back, and with commands after it in the same transaction.
@testable import Fondi
@testable import FondiStore
import FondiTesting
import Testing

struct ChiusuraInBlocchiTests {
    @Test func unaChiusuraDiPiuBlocchiInUnLottoDecideComeIlModello() throws {
        let t = try RegistroTemporaneo()
        var modello = RegistroInMemoria(impronta: Catena.impronta)
        var lotto: [Passo] = []
        func passo(_ c: Comando, _ d: String) throws {
            lotto.append(Passo(comando: c, contesto: Contesto(data: DataContabile(d), atto: Testo(validando: "Atto"), utente: "test", chiave: nil)))
            _ = try modello.esegui(c, data: DataContabile(d), atto: "Atto")
        }
        let linea = LineaChiave(fonte: "FNPS-2023", servizio: "SAD", esercizio: 2023)
        func impegna(_ i: Int) throws {
            try passo(.impegna(numero: try NumeroImpegno("2023/\(i)", campo: "numero"), linea: linea, importo: .c(Int64(100 + i)), creditore: Testo(validando: "Coop \(i % 7)")!,
                               oggetto: "SAD", cig: nil, cup: nil), "2023-03-01")
        }
        let n = Lavoro.impegniPerBlocco + 500
        try passo(.fonteRegistra(codice: "FNPS-2023", tipo: "FNPS", annualita: 2023, importo: .euro(1_000_000), vincolata: true, descrizione: nil), "2023-01-02")
        try passo(.servizioRegistra(codice: "SAD", descrizione: "Assistenza domiciliare"), "2023-01-02")
        try passo(.programma(linea: linea, importo: .euro(900_000)), "2023-01-03")
        for i in 1...(n / 2) { try impegna(i) }
        _ = try t.registro.registra(lotto)
        let eventiPrima = modello.eventi.count
        lotto = []
        // Same transaction: impegni not yet written back, one paid in full, one paid after 31/12, one reduced.
        for i in (n / 2 + 1)...n { try impegna(i) }
        try passo(.liquida(numero: "L1", impegno: "2023/1", importo: .c(101), documento: nil), "2023-06-01")
        try passo(.paga(mandato: "M1", liquidazione: "L1", importo: .c(101)), "2023-06-02")
        try passo(.liquida(numero: "L2", impegno: "2023/2", importo: .c(102), documento: nil), "2023-06-01")
        try passo(.paga(mandato: "M2", liquidazione: "L2", importo: .c(102)), "2024-01-15")
        try passo(.impegnoRiduci(impegno: "2023/3", importo: .c(50), motivo: "minore spesa"), "2023-07-01")
        try passo(.impegnoRiduci(impegno: try NumeroImpegno("2023/\(n)", campo: "impegno"), importo: .c(Int64(100 + n)), motivo: "annullato"), "2023-07-01")
        try passo(.chiudi(esercizio: 2023), "2024-02-01")
        try passo(.liquida(numero: "L3", impegno: "2023/4", importo: .c(104), documento: nil), "2024-02-02")
        let esiti = try t.registro.registra(lotto)
        let attesi = modello.eventi.dropFirst(eventiPrima).map(\.evento)
        #expect(esiti.flatMap(\.eventi).map(\.evento) == Array(attesi))
        let residui = attesi.filter { if case .residuoRiportato = $0 { true } else { false } }.count
        #expect(residui == n - 2 && residui > Lavoro.impegniPerBlocco)
        #expect(try t.registro.statoMemorizzato() == modello.stato)
        #expect(try t.registro.verifica().differenze.isEmpty)
    }

    @Test func unaChiusuraRifiutataNonScriveNulla() throws {
        let t = try RegistroTemporaneo()
        try t.esegui(.fonteRegistra(codice: "F", tipo: "T", annualita: 2023, importo: .euro(10), vincolata: true, descrizione: nil), "2023-01-02")
        let prima = try t.fotografia()
        #expect(throws: Rifiuto.self) { try t.esegui(.chiudi(esercizio: 2023), "2023-12-31") }
        #expect(throws: Rifiuto.self) { try t.esegui(.chiudi(esercizio: 2023), "2024-01-10", atto: nil) }
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
    }
}
