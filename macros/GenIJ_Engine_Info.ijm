// GenIJ sample macro: reports which PyTorch engine GenIJ runs on and where its natives came from.
// In Fiji: Plugins > Macros > Run... and pick this file. Headless:
//   ImageJ-linux64 --headless -macro GenIJ_Engine_Info.ijm
// The report goes to the Log window. "device" may be auto, cpu, or gpu0, gpu1, ...
run("Engine Info", "device=auto");
print("GenIJ engine check done.");
