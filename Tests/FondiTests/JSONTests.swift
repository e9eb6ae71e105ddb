// Goal: the canonical JSON of DOMAIN §6 is exactly RFC 8785 for our documents, and the reader is strict.
import Fondi
import FondiTesting
import PropertyBased
import Testing

struct JSONTests {
    @Test func chiaviOrdinateSenzaSpazi() {
        let v = ValoreJSON.oggetto(["b": .intero(2), "a": .lista([.booleano(true), .nullo]), "c": .stringa("x")])
        #expect(v.testoCanonico == #"{"a":[true,null],"b":2,"c":"x"}"#)
    }

    @Test func escapeComeJSONStringify() {
        let v = ValoreJSON.stringa("a\"b\\c\n\t\u{01}/è€😀")
        #expect(v.testoCanonico == "\"a\\\"b\\\\c\\n\\t\\u0001/è€😀\"")
    }

    @Test func chiaviOrdinatePerUnitaUTF16() {
        // "é" (U+00E9) sorts before "😀" (surrogate pair D83D...) and after "z".
        let v = ValoreJSON.oggetto(["😀": .intero(1), "é": .intero(2), "z": .intero(3)])
        #expect(v.testoCanonico == #"{"z":3,"é":2,"😀":1}"#)
    }

    @Test func letturaEScritturaSonoInverse() throws {
        let testo = #"{"a":[1,-2,{"b":"\u00e8\ud83d\ude00"}],"n":null,"t":false}"#
        let v = try ValoreJSON.leggi(testo)
        #expect(v["a"] == .lista([.intero(1), .intero(-2), .oggetto(["b": .stringa("è😀")])]))
        #expect(try ValoreJSON.leggi(v.testoCanonico) == v)
    }

    @Test func numeriNonInteriRestanoTesto() throws {
        #expect(try ValoreJSON.leggi("1234.56") == .numero("1234.56"))
        #expect(try ValoreJSON.leggi("1e3") == .numero("1e3"))
        #expect(try ValoreJSON.leggi("99999999999999999999") == .numero("99999999999999999999"))
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "\"\\x\"", "{\"a\":1}x", "tru", "\"\u{01}\"",
                      "{\"a\":1,\"a\":2}", "\"\\ud800\"", String(repeating: "[", count: 40) + String(repeating: "]", count: 40)])
    func documentiRifiutati(testo: String) {
        #expect(throws: ErroreJSON.self) { try ValoreJSON.leggi(testo) }
    }

    @Test func payloadDegliEventiRoundTrip() throws {
        let linea = LineaChiave(fonte: "FNA-2023", servizio: "C2", esercizio: 2023)
        let eventi: [Evento] = [
            .fonteRegistrata(codice: "FNA-2023", tipo: "FNA", annualita: 2023, vincolata: true, importo: .c(10_000_000), descrizione: nil),
            .fonteIntegrata(fonte: "F", importo: .c(1)), .fonteRidotta(fonte: "F", importo: .c(2)),
            .servizioRegistrato(codice: "C2", descrizione: "ADI"),
            .programmazioneDisposta(linea: linea, importo: .c(5)), .programmazioneRidotta(linea: linea, importo: .c(6)),
            .programmazioneSpostata(fonte: "F", esercizio: 2023, daServizio: "A", aServizio: "B", importo: .c(7)),
            .impegnoAssunto(numero: "2023/1", linea: linea, importo: .c(8), creditore: "Coop", oggetto: "SAD", cig: "Z1", cup: nil, prenotazione: nil),
            .impegnoAssunto(numero: "2023/2", linea: linea, importo: .c(8), creditore: "Coop", oggetto: "SAD", cig: nil, cup: "C1", prenotazione: "P1"),
            .impegnoRidotto(impegno: "2023/1", importo: .c(9), motivo: "ribasso"),
            .liquidazioneDisposta(numero: "L1", impegno: "2023/1", importo: .c(10), documento: "Fatt. 1"),
            .liquidazioneAnnullata(liquidazione: "L1", importo: .c(11), motivo: "errore"),
            .pagamentoEmesso(mandato: "M1", liquidazione: "L1", importo: .c(12)),
            .residuoRiportato(impegno: "2023/1", annoProvenienza: 2023, importo: .c(13)),
            .economiaRilevata(linea: linea, importo: .c(14)),
            .esercizioChiuso(esercizio: 2023, totali: TotaliChiusura(economie: 0, residuiPassivi: 15,
                             armonizzati: .init(fpv: 1, prenotazioniDecadute: 2, residuiAttivi: 3)), digest: "ab"),
            .residuoEliminato(impegno: "2023/1", importo: .c(16), motivo: "insussistente"),
            .prenotazioneAssunta(numero: "P1", linea: linea, importo: .c(17), oggetto: "Avviso"),
            .prenotazioneRidotta(prenotazione: "P1", importo: .c(18), motivo: "ribasso"),
            .prenotazioneDecaduta(prenotazione: "P1", importo: .c(19)),
            .impegnoReimputato(impegno: "2023/1", importo: .c(20), esercizio: 2024, numero: "2024/1"),
            .accertamentoRegistrato(numero: "A1", fonte: "F", esercizio: 2023, importo: .c(21), debitore: "Regione Puglia"),
            .accertamentoRidotto(accertamento: "A1", importo: .c(22), motivo: "minore trasferimento"),
            .riscossioneRegistrata(reversale: "R1", accertamento: "A1", importo: .c(23), documento: nil),
            .residuoAttivoRiportato(accertamento: "A1", annoProvenienza: 2023, importo: .c(24)),
        ]
        for e in eventi {
            let letto = try Evento.decodifica(tipo: e.tipo, versione: e.versioneScritta, payload: try ValoreJSON.leggi(e.payload.testoCanonico))
            #expect(letto == e)
        }
        // Versione 1 of ImpegnoAssunto and EsercizioChiuso (before DOMAIN §9) reads as versione 2 without the new
        // fields, and re-encodes to the very bytes it was stored with (the chain and `esporta` depend on it).
        let impegnoV1 = #"{"creditore":"Coop","esercizio":2023,"fonte":"FNA-2023","importo":8,"numero":"2023/1","oggetto":"SAD","servizio":"C2"}"#
        let i1 = try Evento.decodifica(tipo: "ImpegnoAssunto", versione: 1, payload: try ValoreJSON.leggi(impegnoV1))
        #expect(i1 == .impegnoAssunto(numero: "2023/1", linea: linea, importo: .c(8), creditore: "Coop", oggetto: "SAD", cig: nil, cup: nil, prenotazione: nil))
        #expect(i1.payload.testoCanonico == impegnoV1)
        let chiusoV1 = #"{"digest":"ab","economie":0,"esercizio":2023,"residui_passivi":15}"#
        let c1 = try Evento.decodifica(tipo: "EsercizioChiuso", versione: 1, payload: try ValoreJSON.leggi(chiusoV1))
        #expect(c1 == .esercizioChiuso(esercizio: 2023, totali: TotaliChiusura(economie: 0, residuiPassivi: 15), digest: "ab"))
        #expect(c1.payload.testoCanonico == chiusoV1)
        #expect(throws: ErroreDecodifica.self) { try Evento.decodifica(tipo: "ImpegnoAssunto", versione: 3, payload: try ValoreJSON.leggi(impegnoV1)) }
        #expect(throws: ErroreDecodifica.self) { try Evento.decodifica(tipo: "EsercizioChiuso", versione: 2, payload: try ValoreJSON.leggi(chiusoV1)) }
        #expect(throws: ErroreDecodifica.self) { try Evento.decodifica(tipo: "Boh", versione: 1, payload: .oggetto([:])) }
        #expect(throws: ErroreDecodifica.self) { try Evento.decodifica(tipo: "FonteIntegrata", versione: 2, payload: .oggetto([:])) }
        #expect(throws: ErroreDecodifica.self) {
            try Evento.decodifica(tipo: "FonteIntegrata", versione: 1, payload: .oggetto(["fonte": .stringa("F"), "importo": .intero(0)]))
        }
    }

    @Test func payloadUsaINomiDelDominio() {
        let e = Evento.programmazioneSpostata(fonte: "F", esercizio: 2023, daServizio: "A", aServizio: "B", importo: .c(7))
        #expect(e.payload.testoCanonico == #"{"a_servizio":"B","da_servizio":"A","esercizio":2023,"fonte":"F","importo":7}"#)
    }

    /// The report JSON written straight from the cells is byte for byte the canonical form built through
    /// `ValoreJSON`, for tables with names and columns that sort by UTF-16 units, repeat, and need escapes.
    @Test func rapportoJSONComeIlCanonico() async {
        let nomi = ["righe", "fonti", "impegni", "z", "é", "😀", "a\"b", "a", "A", "aa", ""]
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max).array(of: 1...60)) { v in
            var i = 0
            func prossimo(_ n: Int) -> Int { defer { i += 1 }; return v[i % v.count] / (i + 1) % n }
            var tabelle: [Tabella] = []
            for _ in 0..<(1 + prossimo(3)) {
                let colonne = (0..<(1 + prossimo(6))).map { _ in nomi[prossimo(nomi.count)] }
                let righe = (0..<prossimo(4)).map { _ in
                    (0..<(colonne.count - prossimo(2))).map { _ -> Cella in
                        switch prossimo(6) {
                        case 0: .testo(nomi[prossimo(nomi.count)] + "\n\u{01}")
                        case 1: .intero(Int64(prossimo(1000)) - 500)
                        case 2: .importo(Int64(prossimo(100_000)))
                        case 3: .booleano(prossimo(2) == 0)
                        case 4: .data(DataContabile(anno: 2023, mese: 1 + prossimo(12), giorno: 1 + prossimo(28)))
                        default: .nullo
                        }
                    }
                }
                tabelle.append(Tabella(nome: nomi[prossimo(nomi.count)], colonne: colonne, righe: righe))
            }
            #expect(Rendering.json(tabelle) == Rendering.jsonRiferimento(tabelle))
        }
    }
}
