// The wizard: photos upload as soon as they are chosen, and "말로 설명하기" records a
// voice memo in the browser and sends it to the shop's writer.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var form = input.form;
      form.querySelector(".uploading").hidden = false;
      form.submit();
    });
  });

  var panel = document.querySelector(".voice");
  if (!panel) { return; }
  var button = panel.querySelector("[data-record]");
  var status = panel.querySelector("[data-voice-status]");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var recorder = null, chunks = [], stream = null;

  // m4a with AAC where MediaRecorder can make it (Safari); else WAV from the raw
  // samples, which every browser can record. The server takes m4a (AAC), mp3 and wav:
  // Chromium's plain "audio/mp4" is Opus inside MP4, which it refuses.
  var MP4 = ["audio/mp4;codecs=mp4a.40.2"].filter(function (t) {
    return window.MediaRecorder && MediaRecorder.isTypeSupported(t);
  })[0];

  function wav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2), view = new DataView(buffer);
    function text(offset, s) { for (var i = 0; i < s.length; i++) { view.setUint8(offset + i, s.charCodeAt(i)); } }
    text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([view], { type: "audio/wav" });
  }

  function send(blob, name) {
    status.textContent = "보내는 중…";
    var body = new FormData();
    body.append("audio", blob, name);
    fetch("/api/v1/businesses/" + panel.dataset.business + "/voice-memos/", {
      method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin"
    }).then(function (r) { return r.json().then(function (data) { return [r.status, data]; }); })
      .then(function (answer) {
        if (answer[0] !== 202) {
          status.textContent = (answer[1].error && (answer[1].error.fields && answer[1].error.fields.audio || answer[1].error.message)) || "보내지 못했어요. 다시 해 주세요.";
          return;
        }
        status.textContent = "받아 적는 중이에요…";
        poll(answer[1].status_url);
      });
  }

  function poll(url) {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (memo) {
      if (memo.status === "queued") { setTimeout(function () { poll(url); }, 1500); return; }
      window.location.reload();  // the step reads the memo's facts into its rows
    });
  }

  function startWav(media) {
    var context = new AudioContext(), source = context.createMediaStreamSource(media);
    var node = context.createScriptProcessor(4096, 1, 1), samples = [];
    node.onaudioprocess = function (e) { samples.push(new Float32Array(e.inputBuffer.getChannelData(0))); };
    source.connect(node); node.connect(context.destination);
    return { stop: function () {
      node.disconnect(); source.disconnect();
      var length = samples.reduce(function (n, s) { return n + s.length; }, 0), all = new Float32Array(length), at = 0;
      samples.forEach(function (s) { all.set(s, at); at += s.length; });
      var rate = context.sampleRate; context.close();
      // 16 kHz is plenty for speech and keeps two minutes under 4 MB.
      var step = Math.max(1, Math.floor(rate / 16000)), speech = new Float32Array(Math.floor(all.length / step));
      for (var i = 0; i < speech.length; i++) {
        var sum = 0;
        for (var j = 0; j < step; j++) { sum += all[i * step + j]; }
        speech[i] = sum / step;
      }
      send(wav(speech, rate / step), "memo.wav");
    } };
  }

  button.addEventListener("click", function () {
    if (recorder) {
      recorder.stop(); stream.getTracks().forEach(function (t) { t.stop(); });
      recorder = null; button.textContent = "녹음 시작"; button.setAttribute("aria-pressed", "false");
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (media) {
      stream = media;
      if (MP4) {
        chunks = [];
        var native = new MediaRecorder(media, { mimeType: MP4 });
        native.ondataavailable = function (e) { chunks.push(e.data); };
        native.onstop = function () { send(new Blob(chunks, { type: "audio/mp4" }), "memo.m4a"); };
        native.start();
        recorder = native;
      } else {
        recorder = startWav(media);
      }
      button.textContent = "녹음 끝내기"; button.setAttribute("aria-pressed", "true");
      status.textContent = "듣고 있어요… 다 말했으면 녹음 끝내기를 눌러 주세요.";
    }).catch(function () {
      status.textContent = "마이크를 쓸 수 없어요. 브라우저에서 마이크 권한을 허용해 주세요.";
    });
  });
})();
