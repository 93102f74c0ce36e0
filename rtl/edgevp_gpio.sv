// edgevp: GPIO, 32 pins, edge interrupts and wake-up: the RTL twin of models/peripherals/gpio.
//
//   offset  register     access  reset  meaning (bit i = pin i)
//   0x00    INPUT        ro      -      pin levels: OUTPUT where OUTPUT_EN is set, else pin_in
//   0x04    OUTPUT       rw      0      level driven on the pin while OUTPUT_EN is set
//   0x08    OUTPUT_EN    rw      0      1 = output (driven by OUTPUT), 0 = input
//   0x0C    IRQ_RISE_EN  rw      0      a rising edge of the pin sets IRQ_STATUS
//   0x10    IRQ_FALL_EN  rw      0      a falling edge of the pin sets IRQ_STATUS
//   0x14    IRQ_STATUS   w1c     0      an enabled edge was seen; write 1 to clear
//   0x18    WAKE_EN      rw      0      the pin's IRQ_STATUS bit also raises wake
//
// Edges: each clock compares the pin levels with the previous cycle's (`last`); a changed pin
// whose direction is enabled sets its IRQ_STATUS bit. A new edge wins over a w1c of the same
// cycle. `busy` is high while the levels differ from `last` (an edge still to latch), so a
// wrapper that changes pin_in clocks the block at least once.
//
// The lines are levels:
//   irq  = |(IRQ_STATUS & (IRQ_RISE_EN | IRQ_FALL_EN))
//   wake = |(IRQ_STATUS & (IRQ_RISE_EN | IRQ_FALL_EN) & WAKE_EN)
//
// AXI4-Lite slave, one write and one read at a time. AW and W are taken in any order (each has a
// holding register); the write happens, and B is raised, in the cycle after both are held (or in
// the cycle they complete together). R follows AR by one cycle. Responses, checked in this order:
// DECERR for an offset with no register (0x1C and up), SLVERR for an unaligned address, a write
// with WSTRB != 4'hF or a write to INPUT; else OKAY. A refused write changes nothing; a refused
// read returns 0.
//
// Reset (rst_n low at a clock edge) clears the registers and the AXI state and takes the outside
// levels as the reference for the next edges (the outside world keeps driving them).
module edgevp_gpio (
    input  logic        clk,
    input  logic        rst_n,
    // AXI4-Lite slave
    input  logic [15:0] s_awaddr,
    input  logic        s_awvalid,
    output logic        s_awready,
    input  logic [31:0] s_wdata,
    input  logic [ 3:0] s_wstrb,
    input  logic        s_wvalid,
    output logic        s_wready,
    output logic [ 1:0] s_bresp,
    output logic        s_bvalid,
    input  logic        s_bready,
    input  logic [15:0] s_araddr,
    input  logic        s_arvalid,
    output logic        s_arready,
    output logic [31:0] s_rdata,
    output logic [ 1:0] s_rresp,
    output logic        s_rvalid,
    input  logic        s_rready,
    // Pins
    input  logic [31:0] pin_in,
    output logic [31:0] pins,
    output logic [31:0] pin_out,
    output logic        irq,
    output logic        wake,
    output logic        busy
);

  localparam logic [1:0] RESP_OKAY = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;
  localparam logic [1:0] RESP_DECERR = 2'b11;

  localparam logic [15:0] OFF_INPUT = 16'h0000;
  localparam logic [15:0] OFF_END = 16'h001C;  // first offset with no register

  localparam logic [2:0] IDX_INPUT = 3'd0;
  localparam logic [2:0] IDX_OUTPUT = 3'd1;
  localparam logic [2:0] IDX_OUTPUT_EN = 3'd2;
  localparam logic [2:0] IDX_RISE_EN = 3'd3;
  localparam logic [2:0] IDX_FALL_EN = 3'd4;
  localparam logic [2:0] IDX_STATUS = 3'd5;
  localparam logic [2:0] IDX_WAKE_EN = 3'd6;

  // Registers
  logic [31:0] out_q, oe_q, rise_en_q, fall_en_q, status_q, wake_en_q;
  logic [31:0] last_q;  // pin levels at the previous clock (edge reference)

  // AXI state
  logic aw_held_q, w_held_q;
  logic [15:0] aw_addr_q;
  logic [31:0] w_data_q;
  logic [3:0] w_strb_q;

  // Pin levels
  logic [31:0] levels;
  assign levels  = (out_q & oe_q) | (pin_in & ~oe_q);
  assign pins    = levels;
  assign pin_out = out_q & oe_q;

  logic [31:0] changed, edges, armed;
  assign changed = levels ^ last_q;
  assign edges   = (changed & levels & rise_en_q) | (changed & ~levels & fall_en_q);
  assign armed   = status_q & (rise_en_q | fall_en_q);
  assign irq     = |armed;
  assign wake    = |(armed & wake_en_q);

  // Write channel: a channel is ready while its holding register is free and no B is pending.
  assign s_awready = ~aw_held_q & ~s_bvalid;
  assign s_wready  = ~w_held_q & ~s_bvalid;

  logic aw_hs, w_hs, have_aw, have_w, do_write;
  logic [15:0] wr_addr;
  logic [31:0] wr_data;
  logic [ 3:0] wr_strb;
  assign aw_hs    = s_awvalid & s_awready;
  assign w_hs     = s_wvalid & s_wready;
  assign have_aw  = aw_held_q | aw_hs;
  assign have_w   = w_held_q | w_hs;
  assign do_write = have_aw & have_w;
  assign wr_addr  = aw_held_q ? aw_addr_q : s_awaddr;
  assign wr_data  = w_held_q ? w_data_q : s_wdata;
  assign wr_strb  = w_held_q ? w_strb_q : s_wstrb;

  logic [1:0] wr_resp;
  always_comb begin
    if (wr_addr >= OFF_END) wr_resp = RESP_DECERR;
    else if (wr_addr[1:0] != 2'b00 || wr_strb != 4'hF || wr_addr == OFF_INPUT) wr_resp = RESP_SLVERR;
    else wr_resp = RESP_OKAY;
  end

  logic       wr_ok;
  logic [2:0] wr_idx;
  assign wr_ok  = do_write && wr_resp == RESP_OKAY;
  assign wr_idx = wr_addr[4:2];

  // Read channel
  assign s_arready = ~s_rvalid;

  logic ar_hs;
  assign ar_hs = s_arvalid & s_arready;

  logic [1:0] rd_resp;
  logic [31:0] rd_data;
  always_comb begin
    rd_data = 32'h0;
    if (s_araddr >= OFF_END) rd_resp = RESP_DECERR;
    else if (s_araddr[1:0] != 2'b00) rd_resp = RESP_SLVERR;
    else begin
      rd_resp = RESP_OKAY;
      case (s_araddr[4:2])
        IDX_INPUT: rd_data = levels;
        IDX_OUTPUT: rd_data = out_q;
        IDX_OUTPUT_EN: rd_data = oe_q;
        IDX_RISE_EN: rd_data = rise_en_q;
        IDX_FALL_EN: rd_data = fall_en_q;
        IDX_STATUS: rd_data = status_q;
        IDX_WAKE_EN: rd_data = wake_en_q;
        default: rd_data = 32'h0;
      endcase
    end
  end

  // IRQ_STATUS: new edges set, a w1c write clears (an edge of the same cycle wins).
  logic [31:0] status_clear;
  assign status_clear = (wr_ok && wr_idx == IDX_STATUS) ? wr_data : 32'h0;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      out_q     <= 32'h0;
      oe_q      <= 32'h0;
      rise_en_q <= 32'h0;
      fall_en_q <= 32'h0;
      status_q  <= 32'h0;
      wake_en_q <= 32'h0;
      last_q    <= pin_in;  // OUTPUT_EN is 0 after reset: the levels are the outside's
      aw_held_q <= 1'b0;
      w_held_q  <= 1'b0;
      aw_addr_q <= 16'h0;
      w_data_q  <= 32'h0;
      w_strb_q  <= 4'h0;
      s_bvalid  <= 1'b0;
      s_bresp   <= RESP_OKAY;
      s_rvalid  <= 1'b0;
      s_rresp   <= RESP_OKAY;
      s_rdata   <= 32'h0;
    end else begin
      last_q   <= levels;
      status_q <= (status_q & ~status_clear) | edges;

      // Write
      if (do_write) begin
        aw_held_q <= 1'b0;
        w_held_q  <= 1'b0;
        s_bvalid  <= 1'b1;
        s_bresp   <= wr_resp;
      end else begin
        if (aw_hs) begin
          aw_held_q <= 1'b1;
          aw_addr_q <= s_awaddr;
        end
        if (w_hs) begin
          w_held_q <= 1'b1;
          w_data_q <= s_wdata;
          w_strb_q <= s_wstrb;
        end
        if (s_bvalid && s_bready) s_bvalid <= 1'b0;
      end
      if (wr_ok) begin
        case (wr_idx)
          IDX_OUTPUT: out_q <= wr_data;
          IDX_OUTPUT_EN: oe_q <= wr_data;
          IDX_RISE_EN: rise_en_q <= wr_data;
          IDX_FALL_EN: fall_en_q <= wr_data;
          IDX_WAKE_EN: wake_en_q <= wr_data;
          default: ;  // INPUT refused above; IRQ_STATUS is w1c (status_clear)
        endcase
      end

      // Read
      if (ar_hs) begin
        s_rvalid <= 1'b1;
        s_rresp  <= rd_resp;
        s_rdata  <= rd_data;
      end else if (s_rvalid && s_rready) begin
        s_rvalid <= 1'b0;
      end
    end
  end

  assign busy = aw_held_q | w_held_q | s_bvalid | s_rvalid | (changed != 32'h0);

endmodule
