import Fondi

/// Turns random integers into commands over a small universe (3 fonti, 3 servizi, 8 impegno numbers,
/// 4 prenotazioni, 4 accertamenti, esercizi around the date), so random histories hit every rule: many
/// commands are valid, many are refused. Step `n` is dated 5 days after step `n − 1` from 2023-01-01, so
/// years pass, riaccertamenti happen between 31/12 and the closing, and years close.
public enum GeneratoreComandi {
    public static func data(passo: Int) -> DataContabile {
        var g = passo * 5
        var anno = 2023
        while true {
            let giorni = (anno % 4 == 0) ? 366 : 365
            if g < giorni { break }
            g -= giorni
            anno += 1
        }
        let lunghezze = [31, anno % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var mese = 0
        while g >= lunghezze[mese] { g -= lunghezze[mese]; mese += 1 }
        return DataContabile(anno: anno, mese: mese + 1, giorno: g + 1)
    }

    /// A day of `anno` drawn from `pesca`.
    static func giorno(_ anno: Int, _ pesca: (Int) -> Int) -> DataContabile {
        DataContabile(anno: anno, mese: 1 + pesca(12), giorno: 1 + pesca(28))
    }

    public static func comando(_ v: Int, passo: Int) -> (Comando, DataContabile) {
        let d = data(passo: passo)
        var r = UInt64(bitPattern: Int64(v))
        func pesca(_ n: Int) -> Int {
            let x = Int(r % UInt64(n))
            r /= UInt64(n)
            return x
        }
        // The first six steps register the universe, so the random part is not mostly "unknown code".
        if passo < 3 {
            return (.fonteRegistra(codice: cod("F\(passo)"), tipo: "T", annualita: d.anno, importo: Importo(centesimi: Int64(1 + pesca(1_000_000_000))),
                                   vincolata: true, descrizione: nil), d)
        }
        if passo < 6 { return (.servizioRegistra(codice: cod("S\(passo - 3)"), descrizione: "Servizio"), d) }
        let op = pesca(32)
        let fonte: CodiceFonte = cod("F\(pesca(3))")
        let servizio: CodiceServizio = cod("S\(pesca(3))")
        let altro: CodiceServizio = cod("S\(pesca(3))")
        let esercizio = pesca(4) == 0 ? d.anno - 1 : d.anno
        let importo = Importo(centesimi: Int64(pesca(4) == 0 ? 1 + pesca(100) : 1 + pesca(20_000_000)))
        // Liquidazioni are numbered after their impegno (L7-0, L7-1 on I7), so payments and annulments find them.
        let k = pesca(8)
        let numero: NumeroImpegno = cod("I\(k)")
        let liquidazione: NumeroLiquidazione = cod("L\(k)-\(pesca(2))")
        let linea = LineaChiave(fonte: fonte, servizio: servizio, esercizio: esercizio)
        let piccolo = Importo(centesimi: max(1, importo.centesimi / 4))
        let c: Comando
        switch op {
        case 0: c = .fonteRegistra(codice: fonte, tipo: "T", annualita: d.anno, importo: Importo(centesimi: importo.centesimi * 50),
                                   vincolata: pesca(2) == 0, descrizione: nil)
        case 1: c = .fonteIntegra(codice: fonte, importo: Importo(centesimi: importo.centesimi * 10))
        case 2: c = .fonteRiduci(codice: fonte, importo: importo)
        case 3: c = .servizioRegistra(codice: servizio, descrizione: txt("Servizio \(servizio)"))
        case 4, 5, 6: c = .programma(linea: linea, importo: Importo(centesimi: importo.centesimi * 3))
        case 7: c = .programmaRiduci(linea: linea, importo: piccolo)
        case 8: c = .programmaSposta(fonte: fonte, esercizio: esercizio, da: servizio, a: altro, importo: piccolo)
        case 9, 10, 11: c = .impegna(numero: numero, linea: linea, importo: piccolo, creditore: "C", oggetto: "O", cig: nil, cup: nil)
        case 12: c = .impegnoRiduci(impegno: numero, importo: piccolo, motivo: "m")
        case 13, 14: c = .liquida(numero: liquidazione, impegno: numero, importo: piccolo, documento: nil)
        case 15: c = .liquidazioneAnnulla(liquidazione: liquidazione, importo: Importo(centesimi: Int64(1 + pesca(20))), motivo: "m")
        case 16, 17: c = .paga(mandato: cod("M\(v % 1_000_003)"), liquidazione: liquidazione, importo: Importo(centesimi: Int64(1 + pesca(pesca(2) == 0 ? 20 : 200_000))))
        case 18 where pesca(3) == 0: c = .chiudi(esercizio: d.anno - 1 - pesca(2))
        case 18: c = .liquida(numero: cod(liquidazione.testo + "b"), impegno: numero, importo: piccolo, documento: nil)
        case 19: c = .residuoElimina(impegno: numero, importo: Importo(centesimi: max(1, piccolo.centesimi / 4)), motivo: "m")
        // DOMAIN §9: prenotazioni, impegni on them, reimputazioni, accertamenti, riscossioni.
        case 20: c = .prenota(numero: cod("P\(pesca(4))"), linea: linea, importo: Importo(centesimi: importo.centesimi * 2), oggetto: "Avviso")
        case 21: c = .prenotazioneRiduci(prenotazione: cod("P\(pesca(4))"), importo: piccolo, motivo: "m")
        case 22: c = .impegna(numero: numero, linea: linea, importo: piccolo, creditore: "C", oggetto: "O", cig: "Z1", cup: nil,
                              prenotazione: cod("P\(pesca(4))"))
        case 23: c = .impegnoReimputa(impegno: numero, importo: Importo(centesimi: max(1, piccolo.centesimi / 2)), esercizio: d.anno + pesca(2),
                                      numero: cod("I\(pesca(8))"))
        case 24: c = .accerta(numero: cod("A\(pesca(4))"), fonte: fonte, esercizio: esercizio, importo: Importo(centesimi: importo.centesimi * 4),
                              debitore: txt("Comune \(pesca(2))"))
        case 25: c = .accertamentoRiduci(accertamento: cod("A\(pesca(4))"), importo: piccolo, motivo: "m")
        case 26: c = .incassa(reversale: cod("R\(v % 1_000_003)"), accertamento: cod("A\(pesca(4))"), importo: Importo(centesimi: importo.centesimi * 2),
                              documento: nil)
        // DOMAIN §10: scadenze (their options sometimes not those of their tipo) and rendicontazioni, whose figures
        // come from the `--al` view of a cut-off at or before the act.
        case 27:
            let tipo = TipoScadenza.allCases[pesca(4)]
            let rendiconto = tipo == .rendicontazione
            c = .scadenzaFissa(numero: cod("SC\(pesca(6))"), fonte: fonte, tipo: tipo, termine: giorno(d.anno + pesca(2), pesca),
                               soglia: pesca(3) == 0 ? nil : pesca(8) == 0 ? 101 : 1 + pesca(100), base: pesca(2) == 0 ? nil : .accertato,
                               destinatario: rendiconto != (pesca(8) == 0) ? cod("D\(pesca(2))") : nil, copertura: rendiconto ? giorno(d.anno, pesca) : nil)
        case 28: c = .scadenzaProroga(scadenza: cod("SC\(pesca(6))"), termine: giorno(d.anno + 1 + pesca(2), pesca), motivo: "m")
        case 29: c = .scadenzaRevoca(scadenza: cod("SC\(pesca(6))"), motivo: "m")
        case 30:
            let al = pesca(2) == 0 ? d : DataContabile(anno: d.anno, mese: 1, giorno: 1)
            c = .rendiconta(numero: cod("RN\(v % 1_000_003)"), destinatario: cod("D\(pesca(2))"), al: al, fonti: pesca(2) == 0 ? nil : [fonte],
                            motivo: pesca(3) == 0 ? nil : "m")
        default: c = .impegna(numero: numero, linea: linea, importo: piccolo, creditore: "C", oggetto: "O", cig: nil, cup: nil)
        }
        return (c, d)
    }
}
